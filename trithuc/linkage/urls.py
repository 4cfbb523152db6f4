from django.urls import path

from . import views

app_name = "linkage"

urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("run/", views.RunView.as_view(), name="run"),
    path("pairs/<int:pk>/", views.PairDetailView.as_view(), name="pair_detail"),
    path("pairs/<int:pk>/merge/", views.PairMergeView.as_view(), name="pair_merge"),
    path("pairs/<int:pk>/not-same/", views.PairNotSameView.as_view(), name="pair_not_same"),
    path("merges/", views.MergeListView.as_view(), name="merge_list"),
    path("merges/<int:pk>/", views.MergeDetailView.as_view(), name="merge_detail"),
    path("merges/<int:pk>/undo/", views.MergeUndoView.as_view(), name="merge_undo"),
]
