from django.urls import path

from casenotes.views import cases, discussion

app_name = "casenotes"

urlpatterns = [
    # Cases: list and search, post with preview, read, approve, outcome, who posted it
    path("", cases.case_list, name="case-list"),
    path("new/", cases.case_create, name="case-create"),
    path("<int:pk>/", cases.case_detail, name="case-detail"),
    path("<int:pk>/sharing/", cases.case_sharing, name="case-sharing"),
    path("<int:pk>/outcome/", cases.case_outcome, name="case-outcome"),
    path("<int:pk>/author/", cases.case_author, name="case-author"),
    path("approvals/", cases.approval_queue, name="approval-queue"),
    # Discussion: comments, votes, flags and moderation
    path("<int:pk>/comments/", discussion.comment_create, name="comment-create"),
    path("<int:pk>/vote/", discussion.vote, name="vote"),
    path("<int:pk>/flag/", discussion.case_flag, name="case-flag"),
    path("comments/<int:pk>/", discussion.comment_detail, name="comment-detail"),
    path("comments/<int:pk>/flag/", discussion.comment_flag, name="comment-flag"),
    path("moderation/", discussion.moderation_queue, name="moderation-queue"),
    path("<int:pk>/moderate/", discussion.case_moderate, name="case-moderate"),
    path("comments/<int:pk>/moderate/", discussion.comment_moderate, name="comment-moderate"),
]
