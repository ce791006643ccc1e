from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("energy", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="seriesrefreshjob",
            name="task_id",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
