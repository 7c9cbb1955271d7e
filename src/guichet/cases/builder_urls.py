"""The form builder, under ``/agents/demandes/formulaires/`` (names in the ``cases`` namespace)."""

from django.urls import URLPattern, path

from guichet.cases import builder_version_views as versions
from guichet.cases import builder_views as builder

urlpatterns: list[URLPattern] = [
    path("", builder.form_list, name="builder_list"),
    path("<slug:slug>/", builder.form_editor, name="builder_form"),
    path("<slug:slug>/creer/", builder.form_create, name="builder_create"),
    path("<slug:slug>/reglages/", builder.form_settings, name="builder_settings"),
    path("<slug:slug>/structure/", builder.structure_step, name="builder_step"),
    path("<slug:slug>/pages/ajouter/", builder.page_add, name="builder_page_add"),
    path("<slug:slug>/pages/<slug:page>/", builder.page_edit, name="builder_page_edit"),
    path(
        "<slug:slug>/pages/<slug:page>/sections/ajouter/",
        builder.section_add,
        name="builder_section_add",
    ),
    path(
        "<slug:slug>/pages/<slug:page>/sections/<int:number>/",
        builder.section_edit,
        name="builder_section_edit",
    ),
    path(
        "<slug:slug>/pages/<slug:page>/sections/<int:number>/champs/ajouter/",
        builder.field_add,
        name="builder_field_add",
    ),
    path("<slug:slug>/champs/<slug:field>/", builder.field_edit, name="builder_field_edit"),
    path("<slug:slug>/apercu/", versions.preview, name="builder_preview"),
    path("<slug:slug>/publier/", versions.publish, name="builder_publish"),
    path("<slug:slug>/abandonner/", versions.discard, name="builder_discard"),
    path("<slug:slug>/exporter/", versions.export, name="builder_export"),
    path("<slug:slug>/importer/", versions.import_definition, name="builder_import"),
    path("<slug:slug>/versions/", versions.versions, name="builder_versions"),
    path("<slug:slug>/versions/<int:number>/", versions.version_detail, name="builder_version"),
    path(
        "<slug:slug>/versions/<int:number>/repartir/",
        versions.version_restore,
        name="builder_version_restore",
    ),
]
