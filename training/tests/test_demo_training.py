"""`load_demo` with the library loaded gives the demo people assignments and attempts, once."""

from django.core.management import call_command

from training.models import Assignment, AssignmentRule, Attempt, Certificate


def _counts():
    return (
        AssignmentRule.objects.count(),
        Assignment.objects.count(),
        Attempt.objects.count(),
        Certificate.objects.count(),
    )


def test_it_loads_demo_training_activity_once(db, settings):
    settings.DEBUG = True
    call_command("load_library", verbosity=0)
    call_command("load_demo", verbosity=0)
    first = _counts()

    call_command("load_demo", verbosity=0)

    assert first == _counts()
    assert first[0] == 2
    assert Certificate.objects.filter(user__email="alice@northbridge.example").exists()
    assert Attempt.objects.filter(completed_at__isnull=True).count() == 1
