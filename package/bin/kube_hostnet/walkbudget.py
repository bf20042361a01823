"""How many JSON values one patch reading may visit (limits.MAX_PATCH_NODES).

A JSON Patch is a program: `copy` duplicates what it navigated, `test` compares whole values, and every value
written on the way to the pod spec is read again to describe it, so the work is not bounded by the patch's
length. Each walk spends from one Budget; past it, OverBudget ends the reading (patches.read_json_patch).
"""


class OverBudget(Exception):
    """The reading needs more values visited than its budget allows."""


class Budget:
    __slots__ = ("left",)

    def __init__(self, nodes: int) -> None:
        self.left = nodes

    def spend(self, nodes: int = 1) -> None:
        self.left -= nodes
        if self.left < 0:
            raise OverBudget
