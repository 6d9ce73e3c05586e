from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "accounts"
# Interim routes; the accounts module fills in sign-up, dashboard and token pages.
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="signup"),
    path("dashboard/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="dashboard"),
]
