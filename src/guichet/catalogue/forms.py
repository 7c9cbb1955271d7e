"""Forms of the catalogue's edit pages (supervisors) and of its search boxes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.catalogue import vocabulary
from guichet.catalogue.actions import default_review_date
from guichet.catalogue.choices import SearchSurface, VocabularyKind
from guichet.catalogue.models import Article, LifeEvent, Procedure, VocabularyEntry
from guichet.organisation.choices import Channel
from guichet.organisation.models import Department

MAX_QUERY_LENGTH = 200


class TextField(forms.CharField):
    """A multi-line text; browsers send CRLF line ends, stored text uses LF."""

    widget = forms.Textarea

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\r\n", "\n").replace("\r", "\n")


class LinesField(forms.CharField):
    """A list of short texts edited as a text area, one item per line."""

    widget = forms.Textarea(attrs={"rows": 6})

    def __init__(self, *, max_items: int, max_item_length: int, **kwargs: Any) -> None:
        self.max_items = max_items
        self.max_item_length = max_item_length
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        items = [line.strip() for line in text.splitlines() if line.strip()]
        if len(items) > self.max_items:
            raise ValidationError(
                _("Gardez au plus %(max)d lignes (il y en a %(count)d)."),
                params={"max": self.max_items, "count": len(items)},
            )
        too_long = [item for item in items if len(item) > self.max_item_length]
        if too_long:
            raise ValidationError(
                _(
                    "Chaque ligne doit faire au plus %(max)d caractères ; raccourcissez celle "
                    "qui commence par « %(start)s »."
                ),
                params={"max": self.max_item_length, "start": too_long[0][:40]},
            )
        return items


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def content_version(obj: Procedure | Article) -> str:
    """Return a token that changes whenever ``obj`` is saved (to detect concurrent edits)."""
    return obj.updated_at.isoformat()


class ContentForm(forms.Form):
    """Fields and checks shared by the procedure and the article forms."""

    comment = forms.CharField(
        label=_("Motif de la modification"),
        help_text=_("Facultatif. Il apparaît dans l'historique."),
        max_length=300,
        required=False,
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, instance: Procedure | Article | None = None, **kwargs: Any):
        self.instance = instance
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance is not None and self.data.get("version") != content_version(self.instance):
            editor = self.instance.updated_by
            who = editor.display_name() if editor else _("le chargement du catalogue")
            raise ValidationError(
                _(
                    "Ce contenu a été modifié par %(who)s pendant que vous le modifiiez. Vos "
                    "saisies sont conservées ci-dessous : vérifiez-les au regard de la version "
                    "actuelle (voir l'historique), puis enregistrez à nouveau."
                ),
                params={"who": who},
                code="conflict",
            )
        return cleaned

    def changes(self) -> dict[str, Any]:
        """Return the edited values, ready for the update actions."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"comment", "version"}
        }


class ProcedureForm(ContentForm):
    title = forms.CharField(label=_("Titre"), max_length=300)
    summary = forms.CharField(
        label=_("Résumé"), max_length=500, help_text=_("Une phrase, affichée dans les listes.")
    )
    department = forms.ModelChoiceField(
        label=_("Service en charge"), queryset=Department.objects.all()
    )
    life_events = forms.ModelMultipleChoiceField(
        label=_("Événements de vie"),
        queryset=LifeEvent.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    handled_by_city = forms.BooleanField(label=_("Démarche traitée par la ville"), required=False)
    orient_to = TextField(
        label=_("Où orienter"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("L'organisme compétent quand la ville ne traite pas la démarche."),
    )
    channels = forms.MultipleChoiceField(
        label=_("Canaux"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    appointment_required = forms.BooleanField(label=_("Sur rendez-vous"), required=False)
    cost = forms.CharField(label=_("Coût"), max_length=300, required=False)
    commitment_days = forms.IntegerField(
        label=_("Délai d'engagement de la ville (jours ouvrés)"),
        min_value=0,
        max_value=365,
        required=False,
        help_text=_("Laissez vide si la ville ne s'engage pas sur un délai."),
    )
    who_can_ask = TextField(
        label=_("Qui peut faire la demande"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    documents = LinesField(
        label=_("Pièces à fournir"),
        help_text=_("Une pièce par ligne."),
        max_items=40,
        max_item_length=500,
    )
    body = TextField(
        label=_("Présentation pour l'usager"),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=20_000,
        help_text=_(
            "Paragraphes séparés par une ligne vide ; « ## » en début de ligne pour un "
            "intertitre, « - » pour une liste, **gras**."
        ),
    )
    agent_note = TextField(
        label=_("Note pour les agents"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        required=False,
    )
    keywords = LinesField(
        label=_("Mots-clés et synonymes"),
        help_text=_("Un par ligne : les mots que les usagers emploient vraiment."),
        max_items=60,
        max_item_length=100,
    )
    is_published = forms.BooleanField(label=_("Publiée sur le portail"), required=False)
    review_before = forms.DateField(
        label=_("À revoir avant le"), widget=_date_widget(), required=False
    )
    field_order = [
        "title", "summary", "department", "life_events", "handled_by_city", "orient_to",
        "channels", "appointment_required", "cost", "commitment_days", "who_can_ask",
        "documents", "body", "agent_note", "keywords", "is_published", "review_before",
        "comment",
    ]  # fmt: skip

    @staticmethod
    def initial_for(procedure: Procedure) -> dict[str, Any]:
        return {
            "title": procedure.title,
            "summary": procedure.summary,
            "department": procedure.department_id,
            "life_events": [event.pk for event in procedure.life_events.all()],
            "handled_by_city": procedure.handled_by_city,
            "orient_to": procedure.orient_to,
            "channels": procedure.channels,
            "appointment_required": procedure.appointment_required,
            "cost": procedure.cost,
            "commitment_days": procedure.commitment_days,
            "who_can_ask": procedure.who_can_ask,
            "documents": procedure.documents,
            "body": procedure.body,
            "agent_note": procedure.agent_note,
            "keywords": procedure.keywords,
            "is_published": procedure.is_published,
            "review_before": procedure.review_before,
        }


class ArticleForm(ContentForm):
    title = forms.CharField(label=_("Titre"), max_length=300)
    summary = forms.CharField(label=_("Résumé"), max_length=500, required=False)
    department = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("Tous les services"),
    )
    body = TextField(
        label=_("Contenu"),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=20_000,
        help_text=ProcedureForm.base_fields["body"].help_text,
    )
    procedures = forms.ModelMultipleChoiceField(
        label=_("Démarches liées"),
        queryset=Procedure.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    keywords = LinesField(
        label=_("Mots-clés"), help_text=_("Un par ligne."), max_items=60, max_item_length=100
    )
    is_published = forms.BooleanField(label=_("Publiée pour les agents"), required=False)
    review_before = forms.DateField(
        label=_("À revoir avant le"), widget=_date_widget(), required=False
    )
    field_order = [
        "title", "summary", "department", "body", "procedures", "keywords", "is_published",
        "review_before", "comment",
    ]  # fmt: skip

    @staticmethod
    def initial_for(article: Article | None) -> dict[str, Any]:
        if article is None:
            return {"is_published": True, "review_before": default_review_date()}
        return {
            "title": article.title,
            "summary": article.summary,
            "department": article.department_id,
            "body": article.body,
            "procedures": [procedure.pk for procedure in article.procedures.all()],
            "keywords": article.keywords,
            "is_published": article.is_published,
            "review_before": article.review_before,
        }


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), max_length=MAX_QUERY_LENGTH, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AgentSearchForm(SearchForm):
    department = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("Tous les services"),
        to_field_name="slug",
    )


class SearchLogForm(forms.Form):
    """What the search box sends to the search log: the query, and the procedure opened."""

    q = forms.CharField(max_length=MAX_QUERY_LENGTH)
    demarche = forms.SlugField(max_length=50, required=False)


class UnhelpfulSearchFilterForm(forms.Form):
    """Filters of the supervisors' list of searches that did not help."""

    PERIODS = [(7, _("7 derniers jours")), (30, _("30 derniers jours")), (90, _("3 derniers mois")),
               (365, _("12 derniers mois"))]  # fmt: skip
    # API searches are not logged (nothing tells whether their results were opened).
    SURFACES = [
        ("", _("Partout")),
        (SearchSurface.PORTAL, SearchSurface.PORTAL.label),
        (SearchSurface.CONSOLE, SearchSurface.CONSOLE.label),
    ]

    period = forms.TypedChoiceField(
        label=_("Période"), choices=PERIODS, coerce=int, initial=30, required=False
    )
    surface = forms.ChoiceField(label=_("Où"), choices=SURFACES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def filters(self) -> tuple[int, str | None]:
        """Return the number of days and the surface asked for (defaults if the form is invalid)."""
        if not self.is_valid():
            return 30, None
        return self.cleaned_data["period"] or 30, self.cleaned_data["surface"] or None


def _vocabulary_version(entry: VocabularyEntry) -> str:
    return entry.updated_at.isoformat()


class VocabularyEntryForm(forms.Form):
    """A vocabulary entry, as supervisors write it: terms one per line."""

    kind = forms.ChoiceField(
        label=_("Type d'entrée"), choices=VocabularyKind.choices, widget=forms.RadioSelect
    )
    terms = LinesField(
        label=_("Termes"),
        help_text=_(
            "Un par ligne. Équivalents : au moins deux termes qui veulent dire la même chose "
            "(« CNI », « carte d'identité »). Mot courant : le seul mot ou la seule expression "
            "des usagers (« nounou »). Événement de vie : les mots qui l'évoquent."
        ),
        max_items=vocabulary.MAX_TERMS,
        max_item_length=vocabulary.MAX_TERM_LENGTH,
    )
    means = LinesField(
        label=_("Ce que le mot courant veut dire"),
        help_text=_(
            "Pour un mot courant seulement, un terme du catalogue par ligne "
            "(« assistante maternelle »)."
        ),
        max_items=vocabulary.MAX_TERMS,
        max_item_length=vocabulary.MAX_TERM_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    procedures = forms.ModelMultipleChoiceField(
        label=_("Démarches désignées"),
        help_text=_("Pour un mot courant seulement, facultatif : les démarches qu'il désigne."),
        queryset=Procedure.objects.order_by("title"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    life_event = forms.ModelChoiceField(
        label=_("Événement de vie évoqué"),
        help_text=_("Pour des mots évoquant un événement de vie seulement."),
        queryset=LifeEvent.objects.all(),
        required=False,
        empty_label=_("Aucun"),
    )
    comment = forms.CharField(
        label=_("Motif de la modification"),
        help_text=_("Facultatif. Il apparaît dans l'historique."),
        max_length=300,
        required=False,
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, entry: VocabularyEntry | None = None, **kwargs: Any) -> None:
        self.entry = entry
        kwargs.setdefault("label_suffix", "")
        if entry is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": entry.kind,
                    "terms": entry.terms,
                    "means": entry.means,
                    "procedures": [procedure.pk for procedure in entry.procedures.all()],
                    "life_event": entry.life_event_id,
                    "version": _vocabulary_version(entry),
                },
            )
        super().__init__(*args, **kwargs)
        if entry is not None:
            # An entry keeps its kind: to change it, delete the entry and write another one.
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _(
                "Le type d'une entrée ne change pas : supprimez-la et ajoutez-en une autre."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.entry is not None and self.data.get("version") != _vocabulary_version(self.entry):
            editor = self.entry.updated_by
            who = editor.display_name() if editor else _("le chargement du vocabulaire")
            raise ValidationError(
                _(
                    "Cette entrée a été modifiée par %(who)s pendant que vous la modifiiez. Vos "
                    "saisies sont conservées ci-dessous : vérifiez-les au regard de la version "
                    "actuelle (voir l'historique), puis enregistrez à nouveau."
                ),
                params={"who": who},
                code="conflict",
            )
        if self.errors:
            return cleaned
        try:
            terms_label, means_label = self.fields["terms"].label, self.fields["means"].label
            cleaned["terms"] = vocabulary.clean_terms(str(terms_label), cleaned["terms"])
            cleaned["means"] = vocabulary.clean_terms(str(means_label), cleaned["means"])
            vocabulary.check_entry(
                kind=cleaned["kind"],
                terms=cleaned["terms"],
                means=cleaned["means"],
                procedures=list(cleaned["procedures"]),
                life_event=cleaned["life_event"],
            )
        except vocabulary.InvalidVocabulary as error:
            raise ValidationError(
                _("Cette entrée ne peut pas être enregistrée : %(reason)s."),
                params={"reason": error},
                code="invalid_entry",
            ) from None
        return cleaned

    def changes(self) -> dict[str, Any]:
        """Return the entry's values but its kind, ready for the vocabulary actions."""
        return {
            "terms": self.cleaned_data["terms"],
            "means": self.cleaned_data["means"],
            "procedures": list(self.cleaned_data["procedures"]),
            "life_event": self.cleaned_data["life_event"],
        }


class VocabularyFilterForm(forms.Form):
    q = forms.CharField(label=_("Chercher un terme"), max_length=MAX_QUERY_LENGTH, required=False)
    kind = forms.ChoiceField(
        label=_("Type d'entrée"),
        choices=[("", _("Tous les types")), *VocabularyKind.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VocabularyDeleteForm(forms.Form):
    comment = forms.CharField(
        label=_("Motif de la suppression"),
        help_text=_("Facultatif. Il apparaît dans l'historique."),
        max_length=300,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
