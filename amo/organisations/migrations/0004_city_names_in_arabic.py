"""Cities in both languages (issue 13, item 12): the demo's and the main university and
vocational-training cities, with their Arabic names as Morocco's official texts write them."""


from django.db import migrations, models


CITIES = [
    ("Agadir", "أكادير"),
    ("Al Hoceïma", "الحسيمة"),
    ("Béni Mellal", "بني ملال"),
    ("Berrechid", "برشيد"),
    ("Casablanca", "الدار البيضاء"),
    ("Dakhla", "الداخلة"),
    ("El Jadida", "الجديدة"),
    ("Errachidia", "الرشيدية"),
    ("Essaouira", "الصويرة"),
    ("Fès", "فاس"),
    ("Guelmim", "كلميم"),
    ("Ifrane", "إفران"),
    ("Kénitra", "القنيطرة"),
    ("Khouribga", "خريبكة"),
    ("Laâyoune", "العيون"),
    ("Larache", "العرائش"),
    ("Marrakech", "مراكش"),
    ("Meknès", "مكناس"),
    ("Mohammedia", "المحمدية"),
    ("Nador", "الناظور"),
    ("Ouarzazate", "ورزازات"),
    ("Oujda", "وجدة"),
    ("Rabat", "الرباط"),
    ("Safi", "آسفي"),
    ("Salé", "سلا"),
    ("Settat", "سطات"),
    ("Tanger", "طنجة"),
    ("Taza", "تازة"),
    ("Tétouan", "تطوان"),
    ("Tiznit", "تيزنيت"),
]


def load(apps, schema_editor):
    City = apps.get_model("organisations", "City")
    for fr, ar in CITIES:
        City.objects.get_or_create(name_fr=fr, defaults={"name_ar": ar})


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0003_cnops_address_is_a_parameter'),
    ]

    operations = [
        migrations.CreateModel(
            name='City',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name_fr', models.CharField(max_length=80, unique=True, verbose_name='name (French)')),
                ('name_ar', models.CharField(max_length=80, verbose_name='name (Arabic)')),
            ],
            options={
                'verbose_name': 'city',
                'verbose_name_plural': 'cities',
                'ordering': ['name_fr'],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
