"""Officers' area (/petugas/): dashboards, queues, the file page and the officers' actions."""

app_name = "petugas"

urlpatterns = []
