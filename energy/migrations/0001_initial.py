"""The energy-data catalogue leaves the claims app: Series, Observation and SeriesRefreshJob
become this app's models in Django's state only. Their tables keep their names (db_table), so
no row moves and no table is rebuilt; claims 0008 and integrations 0004 drop them from their
own state in the same step."""

import django.db.models.deletion
import taggit.managers
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('claims', '0007_verdict_change_reason_text'),
        ('integrations', '0003_editors_edit_beat_schedules'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                    migrations.CreateModel(
                        name='Series',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('source', models.CharField(choices=[('owid', 'Our World in Data'), ('eia', 'US EIA API v2'), ('ember', 'Ember'), ('csv', 'CSV from a URL')], db_index=True, max_length=16, verbose_name='source')),
                            ('dataset', models.CharField(max_length=500, verbose_name='dataset')),
                            ('entity', models.CharField(blank=True, max_length=200, verbose_name='entity')),
                            ('metric', models.CharField(blank=True, max_length=200, verbose_name='metric')),
                            ('params', models.JSONField(blank=True, default=dict, verbose_name='extra parameters')),
                            ('title', models.CharField(max_length=300, verbose_name='title')),
                            ('unit', models.CharField(max_length=64, verbose_name='unit')),
                            ('frequency', models.CharField(choices=[('annual', 'Annual'), ('quarterly', 'Quarterly'), ('monthly', 'Monthly'), ('daily', 'Daily')], default='annual', max_length=16, verbose_name='frequency')),
                            ('region', models.CharField(blank=True, max_length=200, verbose_name='region')),
                            ('keywords', models.TextField(blank=True, help_text='One per line, French and English, used for matching.', verbose_name='keywords')),
                            ('license', models.CharField(blank=True, max_length=200, verbose_name='licence')),
                            ('attribution', models.TextField(blank=True, verbose_name='attribution')),
                            ('source_url', models.URLField(blank=True, max_length=2000, verbose_name='source URL')),
                            ('retrieved_at', models.DateTimeField(blank=True, null=True, verbose_name='retrieved at')),
                            ('data_version', models.CharField(blank=True, help_text='ETag, Last-Modified or sha256.', max_length=200, verbose_name='data version')),
                            ('status', models.CharField(choices=[('new', 'Never refreshed'), ('snapshot', 'Snapshot shipped with Assay'), ('ok', 'Up to date'), ('failed', 'Last refresh failed')], db_index=True, default='new', max_length=16, verbose_name='status')),
                            ('last_error', models.TextField(blank=True, verbose_name='last error')),
                            ('last_attempt_at', models.DateTimeField(blank=True, null=True)),
                            ('http_etag', models.CharField(blank=True, max_length=200, verbose_name='ETag')),
                            ('http_last_modified', models.CharField(blank=True, max_length=64, verbose_name='Last-Modified')),
                            ('catalogue_key', models.SlugField(blank=True, max_length=100, null=True, unique=True, verbose_name='catalogue key')),
                            ('created_at', models.DateTimeField(auto_now_add=True)),
                            ('updated_at', models.DateTimeField(auto_now=True)),
                            ('tags', taggit.managers.TaggableManager(blank=True, help_text='A comma-separated list of tags.', through='taggit.TaggedItem', to='taggit.Tag', verbose_name='Tags')),
                        ],
                        options={
                            'verbose_name_plural': 'series',
                            'db_table': 'claims_series',
                            'ordering': ['source', 'title'],
                        },
                    ),
                    migrations.CreateModel(
                        name='Observation',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('period', models.DateField()),
                            ('value', models.FloatField()),
                            ('series', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='observations', to='energy.series')),
                        ],
                        options={
                            'db_table': 'claims_observation',
                            'ordering': ['series_id', 'period'],
                        },
                    ),
                    migrations.CreateModel(
                        name='SeriesRefreshJob',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], db_index=True, default='queued', max_length=16)),
                            ('error', models.TextField(blank=True)),
                            ('created_at', models.DateTimeField(auto_now_add=True)),
                            ('started_at', models.DateTimeField(blank=True, null=True)),
                            ('finished_at', models.DateTimeField(blank=True, null=True)),
                            ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                            ('series', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='refresh_jobs', to='energy.series')),
                        ],
                        options={
                            'db_table': 'integrations_seriesrefreshjob',
                            'ordering': ['-created_at', '-id'],
                        },
                    ),
                    migrations.AddConstraint(
                        model_name='series',
                        constraint=models.UniqueConstraint(fields=('source', 'dataset', 'entity', 'metric'), name='series_unique_source_key'),
                    ),
                    migrations.AddConstraint(
                        model_name='series',
                        constraint=models.CheckConstraint(condition=models.Q(('source__in', ['owid', 'eia', 'ember', 'csv'])), name='series_source_valid'),
                    ),
                    migrations.AddConstraint(
                        model_name='observation',
                        constraint=models.UniqueConstraint(fields=('series', 'period'), name='observation_unique_period'),
                    ),
            ],
            database_operations=[],
        ),
    ]
