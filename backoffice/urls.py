from django.urls import path

from backoffice import views

urlpatterns = [
    path("graphiques/<slug:name>.svg", views.chart, name="backoffice_chart"),
]
