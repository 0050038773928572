from django import template

from backoffice import charts
from backoffice.permissions import sees_activations, sees_sales
from backoffice.selectors import dashboard_section

register = template.Library()


@register.inclusion_tag("backoffice/dashboard.html", takes_context=True)
def backoffice_dashboard(context):
    """The dashboard on the admin index: each part for the staff allowed to see it."""
    user = context["request"].user
    found = {"sales": None, "activations": None}
    if sees_sales(user):
        sales = found["sales"] = dashboard_section("sales")
        found["charts"] = {part: name for name, (_section, part, _draw) in charts.CHARTS.items()}
        found["version"] = int(sales["counted_at"].timestamp())
        # The data tables read row by row: a week (a month) and its figures.
        weekly = sales["weekly"]
        found["weekly_rows"] = []
        for position, week in enumerate(weekly["weeks"]):
            counts = [series_counts[position] for _label, series_counts in weekly["series"]]
            found["weekly_rows"].append((week, counts, sum(counts)))
        lead = sales["lead_times"]
        found["lead_rows"] = [
            (month, [stage["months"][position] for stage in lead["stages"]])
            for position, month in enumerate(lead["months"])
        ]
    if sees_activations(user):
        found["activations"] = dashboard_section("activations")
    return found
