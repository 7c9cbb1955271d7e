from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Identifiant ou mot de passe incorrect. Vérifiez la saisie (majuscules comprises) "
            "et réessayez."
        ),
        "inactive": _("Ce compte est désactivé. Adressez-vous à votre administrateur."),
    }
