"""``runserver`` plus the periodic tasks in the same process: the demo needs no broker, worker nor beat."""

from __future__ import annotations

from django.conf import settings
from django.core.management.commands.runserver import Command as RunserverCommand

from mybusiness.beat_in_process import BeatInProcess


class Command(RunserverCommand):
    help = "Serve the portal and run the periodic tasks (certificates on their date, sweeps) in its process."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--beat-every", type=float, default=15.0, metavar="SECONDS",
            help="How often the periodic tasks run (default: 15 seconds).",
        )

    def inner_run(self, *args, **options) -> None:
        # inner_run runs in the process that serves (the autoreloader's child), so one thread per server.
        if settings.CELERY_TASK_ALWAYS_EAGER:
            BeatInProcess(interval=options["beat_every"]).start()
            self.stdout.write(f"Periodic tasks run in this process every {options['beat_every']:g} s.")
        else:
            self.stdout.write("A broker is configured: the periodic tasks are Celery beat's (make beat).")
        super().inner_run(*args, **options)
