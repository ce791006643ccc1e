"""SeriesRefreshJob now belongs to the energy app (see energy 0001); its table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0003_editors_edit_beat_schedules"),
        ("energy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SeriesRefreshJob")],
            database_operations=[],
        ),
    ]
