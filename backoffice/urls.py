from django.contrib import admin
from django.urls import path

from backoffice import views

urlpatterns = [
    path("graphiques/<slug:name>.svg", admin.site.admin_view(views.chart), name="backoffice_chart"),
]
