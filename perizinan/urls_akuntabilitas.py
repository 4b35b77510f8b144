"""Public accountability: complaints, the satisfaction survey, open statistics, office reports."""

app_name = "akuntabilitas"

urlpatterns = []
