app_name = "kewenangan"

urlpatterns = []
