"""Three-way merge of two edits of one entry, field by field.

Both edits start from a common version (`base`). A field that only one side changed takes that side's
value; a field both sides changed to the same value is fine; a field both changed differently is a
conflict, unless it is a list of ids where the two sides' additions and removals can both be applied.
"""
from dataclasses import dataclass, field


@dataclass
class MergeResult:
    merged: dict
    conflicts: dict = field(default_factory=dict)   # field → {"basis", "mijn", "huidig"}
    theirs_applied: list = field(default_factory=list)   # fields taken from the other edit

    @property
    def clean(self) -> bool:
        return not self.conflicts


def _merge_lists(base: list, ours: list, theirs: list):
    """Apply both sides' additions and removals to a list of plain values; None when not possible.

    >>> _merge_lists(["a", "b"], ["a", "b", "c"], ["b", "d"])
    ['b', 'd', 'c']
    """
    if not all(isinstance(v, (str, int)) for v in base + ours + theirs):
        return None
    removed = (set(base) - set(ours)) | (set(base) - set(theirs))
    out = [v for v in theirs if v not in removed]
    out += [v for v in ours if v not in out and v not in removed]
    return out


def three_way(base: dict, ours: dict, theirs: dict, quiet=()) -> MergeResult:
    """Merge flat field dicts (see kast.curation.entry.flatten). Fields in `quiet` (kept up to date by
    the workflow, like dates) are merged but not reported as taken from the other edit.

    >>> r = three_way({"titel": "A", "samenvatting": "S"}, {"titel": "B", "samenvatting": "S"},
    ...               {"titel": "A", "samenvatting": "T"})
    >>> r.merged, r.clean, r.theirs_applied
    ({'titel': 'B', 'samenvatting': 'T'}, True, ['samenvatting'])
    >>> three_way({"titel": "A"}, {"titel": "B"}, {"titel": "C"}).conflicts
    {'titel': {'basis': 'A', 'mijn': 'B', 'huidig': 'C'}}
    """
    result = MergeResult({})
    quiet = set(quiet)
    keys = list(theirs) + [k for k in ours if k not in theirs] + [k for k in base if k not in ours and k not in theirs]
    for key in keys:
        b, o, t = base.get(key), ours.get(key), theirs.get(key)
        if o == t:
            value = o
        elif o == b:
            value = t
            if key not in quiet:
                result.theirs_applied.append(key)
        elif t == b:
            value = o
        else:
            value = None
            if isinstance(o, list) and isinstance(t, list) and isinstance(b or [], list):
                value = _merge_lists(b or [], o, t)
            if value is None:
                result.conflicts[key] = {"basis": b, "mijn": o, "huidig": t}
                value = t   # nothing of theirs is overwritten
            else:
                result.theirs_applied.append(key)
        if value is not None:
            result.merged[key] = value
    return result
