from django.urls import path

from casenotes.views import cases, discussion

app_name = "casenotes"

urlpatterns = [
    # Cases: list and search, post with preview, read, approve, outcome, who posted it
    path("", cases.case_list, name="case-list"),
    path("new/", cases.case_create, name="case-create"),
    path("<id:pk>/", cases.case_detail, name="case-detail"),
    path("<id:pk>/sharing/", cases.case_sharing, name="case-sharing"),
    path("<id:pk>/outcome/", cases.case_outcome, name="case-outcome"),
    path("<id:pk>/author/", cases.case_author, name="case-author"),
    path("approvals/", cases.approval_queue, name="approval-queue"),
    # Discussion: comments, votes, flags and moderation
    path("<id:pk>/comments/", discussion.comment_create, name="comment-create"),
    path("<id:pk>/vote/", discussion.vote, name="vote"),
    path("<id:pk>/flag/", discussion.case_flag, name="case-flag"),
    path("comments/<id:pk>/", discussion.comment_detail, name="comment-detail"),
    path("comments/<id:pk>/flag/", discussion.comment_flag, name="comment-flag"),
    path("moderation/", discussion.moderation_queue, name="moderation-queue"),
    path("<id:pk>/moderate/", discussion.case_moderate, name="case-moderate"),
    path("comments/<id:pk>/moderate/", discussion.comment_moderate, name="comment-moderate"),
]
