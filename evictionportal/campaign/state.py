"""Where the current campaign stands: who answered, who did not, which records are old.

A record answered when it was confirmed on or after the campaign's start
date; `annuaire etat` prints this, and the référentiel shows it as a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import schema
from ..freshness import thresholds
from ..load import Sources


@dataclass
class CampaignState:
    campaign: schema.Campaign
    answered: list[schema.Organisation] = field(default_factory=list)
    waiting: list[schema.Organisation] = field(default_factory=list)
    old_records: list[schema.Organisation] = field(default_factory=list)  # never confirmed, or past the flag period

    @property
    def headline(self) -> str:
        total = len(self.answered) + len(self.waiting)
        count = len(self.answered)
        said = "organisme sur {total} a confirmé" if count <= 1 else "organismes sur {total} ont confirmé"
        return f"Mise à jour de l'annuaire {self.campaign.year} : {count} {said.format(total=total)}"


def campaign_state(sources: Sources) -> CampaignState | None:
    """The state of the latest campaign, or None before the first one."""
    if not sources.campaigns:
        return None
    campaign = sources.campaigns[-1]
    state = CampaignState(campaign)
    recheck_before = thresholds(sources).recheck_before
    for sending in campaign.sendings:
        org = sources.organisations[sending.organisation]
        confirmed = org.verified is not None and org.verified.date >= campaign.started
        (state.answered if confirmed else state.waiting).append(org)
    state.old_records = [
        org for org in sources.organisations.values() if org.verified is None or org.verified.date < recheck_before
    ]
    return state
