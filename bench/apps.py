from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks' Django app: the scale seed and the load benchmark's yardstick.

    Installed only by `bench.settings`, never by `portal.settings`: the shipped app carries no
    benchmark code, routes or accounts.
    """

    name = "bench"
    verbose_name = "Benchmarks"
