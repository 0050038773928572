"""The dashboard's lead times of the months gone by, counted once.

A stage ends when it is recorded (a validation, an activation, a certificate sent are written at the moment
they happen), so a closed month's figures never change: counting them again at every render would read a
year of rows for nothing. The current month is always counted live.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadTimeMonth(models.Model):
    stage = models.CharField(_("étape"), max_length=20)
    month = models.DateField(_("mois"))
    median = models.FloatField(_("médiane (jours)"), null=True)
    p90 = models.FloatField(_("90e centile (jours)"), null=True)
    count = models.PositiveIntegerField(_("commandes"), default=0)
    computed_at = models.DateTimeField(_("compté le"), auto_now=True)

    class Meta:
        verbose_name = _("délai d'un mois clos")
        verbose_name_plural = _("délais des mois clos")
        constraints = [models.UniqueConstraint(fields=["stage", "month"], name="lead_time_one_per_stage_month")]

    def __str__(self) -> str:
        return f"{self.stage} {self.month:%Y-%m}"
