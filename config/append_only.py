"""``AppendOnly``: a mixin for history tables (status history, delegation history, activity and
complaint logs). A row can be written once; updating or deleting it through the ORM raises."""


class AppendOnly:
    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{type(self).__name__} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} is append-only.")
