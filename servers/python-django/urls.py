"""Routes: /json and /plaintext always; the database endpoints for the raw and orm variants."""

from django.conf import settings
from django.urls import path

from world import views

urlpatterns = [path("json", views.json_view), path("plaintext", views.plaintext)]
if settings.BENCH_VARIANT == "raw":
    urlpatterns += [path("db", views.raw_db), path("queries", views.raw_queries),
                    path("fortunes", views.raw_fortunes), path("updates", views.raw_updates)]
elif settings.BENCH_VARIANT == "orm":
    urlpatterns += [path("db", views.orm_db), path("queries", views.orm_queries),
                    path("fortunes", views.orm_fortunes), path("updates", views.orm_updates)]
