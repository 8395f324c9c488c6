"""A fictional demo country, so that every screen and report has something real to show.

`populate_demo` fills an empty database (reference data loaded, no user records) with the
Republic of Lorvania: areas, groups, institutions, members, sources, two successive national risk
assessments and a regional one, early warnings at every stage and recommendations with their
follow-up. Every date is relative to `today`, so the demo stays current; nothing is random.
"""

from r2pdesk.demo.build import DemoSummary, populate_demo, should_offer_demo
from r2pdesk.demo.data import COMMITTEE_NAME, DEMO_NOTICE

__all__ = ["COMMITTEE_NAME", "DEMO_NOTICE", "DemoSummary", "populate_demo", "should_offer_demo"]
