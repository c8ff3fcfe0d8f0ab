"""How stages look: one colour per stage, used by every screen."""

from store import Stage

#: Hex, not Rich's extended names: Textual's Content (the calendar cells) does not know those.
STAGE_COLOUR = {
    Stage.IDEA: "#9e9e9e",
    Stage.DRAFT: "#5fafff",
    Stage.IN_REVIEW: "#ffd700",
    Stage.CHANGES_REQUESTED: "#ff8700",
    Stage.APPROVED: "#00ff87",
    Stage.SCHEDULED: "#00d7d7",
    Stage.PUBLISHED: "#00af00",
    Stage.FAILED: "bold #ff3030",
}

GAP_STYLE = "italic #d78700"

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
