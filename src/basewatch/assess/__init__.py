"""Assessment: baselines, indicators, competing hypotheses, contradictions, gaps, timeline, estimative language.

    from basewatch.assess import assess_site, timeline
    a = assess_site(ws, "khmeimim", "2024-12-15")
    a.to_dict()["leading"]   # {"id": "drawdown", "likelihood": "very likely", ...}
"""

from basewatch.assess.assessment import SiteAssessment, assess_site, assessment_history
from basewatch.assess.config import AssessConfig, AssessmentConfigError, load_config
from basewatch.assess.estimative import CONFIDENCE_LEVELS, TERMS, likelihood_term
from basewatch.assess.timeline import Timeline, timeline

__all__ = ["CONFIDENCE_LEVELS", "TERMS", "AssessConfig", "AssessmentConfigError", "Timeline",
           "SiteAssessment", "assess_site", "assessment_history", "likelihood_term", "load_config", "timeline"]
