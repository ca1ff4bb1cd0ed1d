import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from bench.scale_seed import PASSWORD, ScaleOptions, ScaleReport, seed_scale

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Build a large, realistic dataset for benchmarks: authorities of staff in teams (one "
        "team of --team-size people), published modules, assignments, attempts with answers "
        "and certificates, cases with comments and votes. Running it again first deletes the "
        'previous run\'s data (everything of the authorities named "Scale Authority NN"), '
        "then builds afresh; other data is left alone. DEBUG only: every account shares a "
        "printed password."
    )

    def add_arguments(self, parser) -> None:
        defaults = ScaleOptions()
        for name, text in [
            ("authorities", "local authorities"),
            ("staff", "people across all authorities"),
            ("modules", "published modules, the six of the starter library included"),
            ("attempts", "attempts across all people"),
            ("cases", "cases"),
            ("comments", "comments across all cases"),
            ("team-size", "people in authority 01's first team (with its supervisor)"),
            ("seed", "random seed: the same seed builds the same data"),
            ("batch-size", "rows per insert"),
        ]:
            default = getattr(defaults, name.replace("-", "_"))
            parser.add_argument(
                f"--{name}", type=int, default=default, help=f"{text} (default {default})"
            )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_scale only runs with DEBUG on: its accounts share a published password, "
                "so they must never reach a live site. (Benchmark with DEBUG off afterwards.)"
            )
        scale = ScaleOptions(**{name: options[name] for name in ScaleOptions.__dataclass_fields__})
        if min(scale.authorities, scale.staff, scale.cases, scale.batch_size) < 1:
            raise CommandError("Authorities, staff, cases and batch size must be at least 1.")
        if min(scale.modules, scale.attempts, scale.comments, scale.team_size) < 0:
            raise CommandError("Counts cannot be negative.")
        if scale.staff < 3 * scale.authorities:
            raise CommandError(
                "Give each authority at least 3 staff (an admin, an author, one more)."
            )
        report = seed_scale(options=scale, progress=TextProgress(self.stdout))
        self._summary(report)

    def _summary(self, report: ScaleReport) -> None:
        write = self.stdout.write
        if report.removed:
            write(f"Removed {report.removed:,} rows of the previous run first.")
        write("Rows now in the database:")
        for name, count in report.counts.items():
            write(f"  {name:<22} {count:>10,}")
        write("Time per phase:")
        for name, seconds in report.timings.items():
            write(f"  {name:<22} {seconds:>9.1f}s")
        write(self.style.SUCCESS(f"Done in {report.elapsed:.1f}s."))
        logins = report.logins
        write(f"Bench logins (password {PASSWORD}):")
        write(f"  practitioner     {logins.practitioner}")
        if logins.attempt_pk:
            write(f"    attempt under way: /training/attempts/{logins.attempt_pk}/")
        write(f"  supervisor       {logins.supervisor}  ({logins.team}: {logins.team_size} people)")
        write(f"  author           {logins.author}")
        write(f"  authority admin  {logins.authority_admin}")
        write(
            f"  case /cases/{logins.case_pk}/ ({logins.case_comments} comments, "
            f"{logins.case_votes} votes, shared with every authority)"
        )


class TextProgress:
    """A text bar per phase: redrawn in place on a terminal, one line per tenth otherwise
    (so a log file stays readable)."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.tty = out.isatty()
        self.phase, self.total, self.done = "", 0, 0
        self.started = self.drawn_at = 0.0
        self.tenths = -1

    def start(self, phase: str, total: int) -> None:
        self.phase, self.total, self.done = phase, max(total, 1), 0
        self.started = self.drawn_at = time.perf_counter()
        self.tenths = -1
        self.advance(0)

    def advance(self, done: int) -> None:
        self.done = min(done, self.total)
        now = time.perf_counter()
        if self.tty:
            if now - self.drawn_at >= 0.2 or self.done == self.total:
                self.drawn_at = now
                self.out.write("\r" + self._line(now), ending="")
                self.out.flush()
            return
        tenths = self.done * 10 // self.total
        if tenths > self.tenths:
            self.tenths = tenths
            self.out.write(self._line(now))

    def finish(self) -> None:
        if self.tty:
            self.out.write("\r" + self._line(time.perf_counter()))

    def _line(self, now: float) -> str:
        filled = BAR_WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        seconds = now - self.started
        return f"{self.phase:<11} [{bar}] {self.done:>9,}/{self.total:<9,} {seconds:7.1f}s"
