"""The portal's routes plus the load benchmark's yardstick (bench.settings only)."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/baseline/", views.baseline, name="bench-baseline"),
    path("", include("portal.urls")),
]
