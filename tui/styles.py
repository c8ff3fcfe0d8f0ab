"""How stages look: one colour per stage, used by every screen."""

from store import Stage

STAGE_COLOUR = {
    Stage.IDEA: "grey62",
    Stage.DRAFT: "steel_blue1",
    Stage.IN_REVIEW: "gold1",
    Stage.CHANGES_REQUESTED: "dark_orange",
    Stage.APPROVED: "spring_green2",
    Stage.SCHEDULED: "cyan",
    Stage.PUBLISHED: "green4",
    Stage.FAILED: "bold red1",
}

STAGE_MARK = {
    Stage.IDEA: "·",
    Stage.DRAFT: "○",
    Stage.IN_REVIEW: "◐",
    Stage.CHANGES_REQUESTED: "↺",
    Stage.APPROVED: "✓",
    Stage.SCHEDULED: "◷",
    Stage.PUBLISHED: "●",
    Stage.FAILED: "✗",
}
