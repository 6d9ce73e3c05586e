from django.contrib.auth import views as auth_views
from django.urls import path

from peerhub.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),  # POST only (Django refuses GET)
    path("signup/", views.signup, name="signup"),
    path("signup/check-your-email/", views.signup_done, name="signup_done"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.users, name="users"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
]
