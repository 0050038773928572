from django.urls import path

from orders import views, views_documents, views_pickers, views_review

urlpatterns = [
    path("", views.home, name="home"),
    path("commandes/", views.order_list, name="order_list"),
    path("commandes/export.<slug:file_format>", views.order_list_export, name="order_list_export"),
    path("commandes/nouvelle/", views.order_create, name="order_create"),
    path("commandes/nouvelle/<slug:fragment>/", views.order_create_fragment, name="order_create_fragment"),
    path("commandes/odata/<str:number>/", views.order_odata_request, name="order_odata_request"),
    path("commandes/<uuid:public_id>/", views.order_detail, name="order_detail"),
    path("commandes/<uuid:public_id>/soumettre/", views.order_submit_view, name="order_submit"),
    path("commandes/<uuid:public_id>/messages/", views_review.order_comment_create, name="order_comment_create"),
    path("commandes/<uuid:public_id>/annuler/", views_review.order_cancel_view, name="order_cancel"),
    path("commandes/<uuid:public_id>/supprimer/", views.order_draft_delete, name="order_draft_delete"),
    path("commandes/<uuid:public_id>/etapes/<slug:step>/", views.order_wizard, name="order_wizard"),
    path(
        "commandes/<uuid:public_id>/etapes/<slug:step>/<slug:fragment>/",
        views.wizard_fragment,
        name="order_wizard_fragment",
    ),
    path("commandes/<uuid:public_id>/sites/", views_pickers.order_site_browse, name="order_site_browse"),
    path("commandes/<uuid:public_id>/documents/", views_documents.document_upload, name="order_document_upload"),
    path(
        "commandes/<uuid:public_id>/documents/<uuid:document_id>/",
        views_documents.document_download,
        name="order_document_download",
    ),
    path(
        "commandes/<uuid:public_id>/documents/<uuid:document_id>/retirer/",
        views_documents.document_remove,
        name="order_document_remove",
    ),
]
