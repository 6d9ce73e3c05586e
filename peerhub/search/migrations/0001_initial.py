from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=40)),
                ("object_id", models.CharField(max_length=64)),
                ("title", models.TextField()),
                ("summary", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("extra", models.TextField(blank=True, help_text="Authors, organisation, identifiers")),
                ("is_public", models.BooleanField(default=False)),
                ("boost", models.FloatField(default=1.0, help_text="Gentle multiplier for quality and freshness")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("kind", "object_id"), name="unique_search_entry")],
                "indexes": [models.Index(fields=["kind", "is_public"], name="search_sear_kind_c525b1_idx")],
            },
        ),
    ]
