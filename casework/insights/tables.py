"""Every table of the dashboard by its name: the page shows them all, the CSV export writes one."""

from .figures import Links, Selection, Table, detractor_causes, scores_table, weekly_trend
from .loop import age_table, loop_table, notifications_table, recovery_table
from .scope import Scope

# Tables built from answers; staff, who see only their own loop figures, get none of them.
ANSWER_TABLES = ("scores", "bands", "trend")
NAMES = ("scores", "bands", "trend", "loop", "age", "notifications", "recovery", "tags", "products")


def build(scope: Scope, selection: Selection, names=NAMES) -> dict[str, Table]:
    links = Links(scope, selection)
    tables: dict[str, Table] = {}
    if scope.sees_answers and {"scores", "bands"} & set(names):
        tables["scores"], tables["bands"] = scores_table(scope, selection, links)
    if scope.sees_answers and "trend" in names:
        tables["trend"] = weekly_trend(scope, selection, links)
    builders = {
        "loop": loop_table,
        "age": age_table,
        "notifications": notifications_table,
        "recovery": recovery_table,
        "tags": lambda s, sel, ln: detractor_causes(s, sel, ln, by="tag"),
        "products": lambda s, sel, ln: detractor_causes(s, sel, ln, by="product"),
    }
    for name, builder in builders.items():
        if name in names:
            tables[name] = builder(scope, selection, links)
    return {name: tables[name] for name in names if name in tables}
