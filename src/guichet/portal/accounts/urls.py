from django.urls import path

from guichet.portal.accounts import oidc_views, views

app_name = "account"
urlpatterns = [
    path("inscription/", views.sign_up, name="sign_up"),
    path("inscription/envoye/", views.sign_up_done, name="sign_up_done"),
    path("conditions-d-utilisation/", views.terms, name="terms"),
    path("verification/nouveau-lien/", views.resend_verification, name="resend_verification"),
    path(
        "verification/nouveau-lien/envoye/",
        views.resend_verification_done,
        name="resend_verification_done",
    ),
    path("verification/<str:token>/", views.verify, name="verify"),
    path("lien-de-connexion/", views.magic_link, name="magic_link"),
    path("lien-de-connexion/envoye/", views.magic_link_sent, name="magic_link_sent"),
    path("lien-de-connexion/connexion/", views.magic_link_confirm, name="magic_link_confirm"),
    path("lien-de-connexion/<str:token>/", views.magic_link_open, name="magic_link_open"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("profil/", views.profile, name="profile"),
    path("profil/mot-de-passe/", views.password_change, name="password_change"),
    path("adresse/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    path("oidc/connexion/", oidc_views.start, name="oidc_start"),
    path("oidc/retour/", oidc_views.callback, name="oidc_callback"),
    path("oidc/lier/", oidc_views.link, name="oidc_link"),
    path("oidc/inscription/", oidc_views.sign_up, name="oidc_sign_up"),
]
