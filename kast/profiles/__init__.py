"""The weerbaarheidsprofiel: an organisation measures itself on the ambitions of a groeimodel
(kast.maturity), fixes metingen, and gets back its gaps, what closes them and who is ahead.

Profiles are confidential and live in the accounts database, never in `data/` or the graph. Every
operation is authorised in `service.Profiles`; comparisons (`compare`) show other organisations only as
opted-in peers or in aggregates of at least five.
"""
from .compare import MIN_GROUP, result
from .service import Concept, MeasurementView, ProfileError, ProfileNotFound, Profiles, VersionConflict

__all__ = ["MIN_GROUP", "result", "Concept", "MeasurementView", "ProfileError", "ProfileNotFound", "Profiles",
           "VersionConflict"]
