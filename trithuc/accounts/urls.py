from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("roles/", views.MembershipListView.as_view(), name="membership_list"),
    path("roles/add/", views.MembershipAddView.as_view(), name="membership_add"),
    path("roles/<int:pk>/delete/", views.MembershipDeleteView.as_view(), name="membership_delete"),
    path("token/", views.api_token, name="api_token"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/add/", views.UserEditView.as_view(), name="user_add"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path(
        "users/<int:pk>/reset-password/",
        views.UserSecurityActionView.as_view(operation="password"),
        name="user_reset_password",
    ),
    path(
        "users/<int:pk>/reset-mfa/",
        views.UserSecurityActionView.as_view(operation="mfa"),
        name="user_reset_mfa",
    ),
]
