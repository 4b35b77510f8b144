"""In-app notifications (/notifikasi/): the bell, the list, mark as read."""

app_name = "notifikasi"

urlpatterns = []
