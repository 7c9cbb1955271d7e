from django.urls import path

from guichet.organisation import views

app_name = "organisation"
urlpatterns = [
    path("", views.index, name="index"),
    path("sites/", views.site_list, name="site_list"),
    path("sites/nouveau/", views.site_create, name="site_create"),
    path("sites/<slug:slug>/", views.site_edit, name="site_edit"),
    path("sites/<slug:slug>/fermetures/", views.site_closures, name="site_closures"),
    path(
        "sites/<slug:slug>/fermetures/<int:closure_id>/supprimer/",
        views.closure_delete,
        name="closure_delete",
    ),
    path("fermetures/", views.city_closures, name="city_closures"),
    path(
        "fermetures/<int:closure_id>/supprimer/",
        views.city_closure_delete,
        name="city_closure_delete",
    ),
    path("services/", views.department_list, name="department_list"),
    path("services/nouveau/", views.department_create, name="department_create"),
    path("services/<slug:slug>/", views.department_edit, name="department_edit"),
    path("agents/", views.agent_list, name="agent_list"),
    path("agents/nouveau/", views.agent_create, name="agent_create"),
    path("agents/<int:agent_id>/", views.agent_edit, name="agent_edit"),
    path(
        "agents/<int:agent_id>/activation/", views.agent_toggle_active, name="agent_toggle_active"
    ),
    path(
        "agents/<int:agent_id>/mot-de-passe/",
        views.agent_reset_password,
        name="agent_reset_password",
    ),
    path("agents/<int:agent_id>/jeton-api/", views.agent_api_token, name="agent_api_token"),
]
