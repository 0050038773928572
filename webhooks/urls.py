from django.urls import path

from webhooks import views

urlpatterns = [
    path("", views.endpoint_list, name="webhook_endpoints"),
    path("<uuid:public_id>/", views.endpoint_detail, name="webhook_endpoint"),
    path("<uuid:public_id>/tester/", views.endpoint_action, {"action": "test"}, name="webhook_endpoint_test"),
    path("<uuid:public_id>/secret/", views.endpoint_action, {"action": "rotate"}, name="webhook_endpoint_rotate"),
    path("<uuid:public_id>/reactiver/", views.endpoint_action, {"action": "reactivate"},
         name="webhook_endpoint_reactivate"),
    path("<uuid:public_id>/supprimer/", views.endpoint_action, {"action": "delete"}, name="webhook_endpoint_delete"),
]
