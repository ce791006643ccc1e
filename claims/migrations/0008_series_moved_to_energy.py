"""Series and Observation now belong to the energy app (see energy 0001): this drops them from
the claims app's state and points ClaimSeries.series at energy.Series. The database is not
touched: the tables, the foreign key column and its constraint stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_verdict_change_reason_text"),
        ("energy", "0001_initial"),
        # integrations.SeriesRefreshJob points at claims.Series until it moves too: its move
        # must come first, whatever order the rest of the graph suggests
        ("integrations", "0004_series_refresh_job_moved_to_energy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="claimseries",
                    name="series",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="claim_links",
                        to="energy.series",
                    ),
                ),
                migrations.DeleteModel(name="Observation"),
                migrations.DeleteModel(name="Series"),
            ],
            database_operations=[],
        ),
    ]
