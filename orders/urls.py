from django.urls import path

from orders import views

urlpatterns = [
    path("", views.home, name="home"),
    path("commandes/", views.order_list, name="order_list"),
    path("commandes/nouvelle/", views.order_create, name="order_create"),
]
