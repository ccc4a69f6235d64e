"""Who waits for whom: the review queue of the redacteuren and "mijn werk" of every editor."""
from . import meta
from .identity import Editor, NotAllowed
from .repo import DRAFT_PREFIX


class Queues:
    def proposals(self) -> list[meta.Proposal]:
        """Every proposal, as its branch head describes it (one commit read per proposal)."""
        out = []
        for ref, head in self.repo.refs(DRAFT_PREFIX).items():
            out.append(meta.Proposal.of(ref[len(DRAFT_PREFIX):].decode(), self.repo.commit_obj(head)))
        return out

    def review_queue(self, editor: Editor) -> list[dict]:
        """What waits for review, longest waiting first, with who proposed it and whether `editor` may
        approve it (not when they proposed or changed it)."""
        if not editor.curator:
            raise NotAllowed("alleen redacteuren zien de beoordelingslijst")
        waiting = sorted((p for p in self.proposals() if p.status == "ter-review"), key=lambda p: p.submitted)
        return [dict(p.as_dict(), **{"mag-goedkeuren": editor.account not in self.contributors(p)})
                for p in waiting]

    def my_work(self, editor: Editor) -> dict[str, list[dict]]:
        """The editor's own proposals by state: concepts, sent back (with the comment), waiting, done."""
        groups = {"teruggestuurd": [], "concept": [], "ter-review": [], "afgerond": []}
        mine = [p for p in self.proposals() if p.proposer == editor.account]
        for p in sorted(mine, key=lambda p: p.updated, reverse=True):
            key = "teruggestuurd" if p.sent_back else p.status if p.status in groups else "afgerond"
            groups[key].append(p.as_dict())
        return groups
