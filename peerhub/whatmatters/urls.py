from django.urls import path

from peerhub.whatmatters import views, views_respond

app_name = "whatmatters"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("new/from-template/", views.create_from_template, name="create_from_template"),
    path("<int:pk>/", views.manage, name="manage"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/factors/", views.factors, name="factors"),
    path("<int:pk>/questions/add/", views.question_add, name="question_add"),
    path("<int:pk>/questions/<int:question_pk>/delete/", views.question_delete, name="question_delete"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/facilitate/", views.facilitate, name="facilitate"),
    path("<int:pk>/facilitate/live/", views.facilitate_live, name="facilitate_live"),
    path("<int:pk>/round/", views.round_control, name="round"),
    path("<int:pk>/import/", views.import_data, name="import"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/estimates.csv", views.export_estimates, name="export_estimates"),
    path("<int:pk>/responses.csv", views.export_responses, name="export_responses"),
    path("s/<str:key>/", views_respond.survey_start, name="survey_start"),
    path("s/<str:key>/page/<int:number>/", views_respond.survey_step, name="survey_step"),
    path("s/<str:key>/check/", views_respond.survey_check, name="survey_check"),
    path("s/<str:key>/done/", views_respond.survey_done, name="survey_done"),
    path("s/<str:key>/resume/<str:signed>/", views_respond.survey_resume, name="survey_resume"),
    path("join/", views_respond.join, name="join"),
    path("w/<str:code>/", views_respond.workshop, name="workshop"),
    path("w/<str:code>/status/", views_respond.workshop_status, name="workshop_status"),
]
