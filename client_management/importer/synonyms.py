"""What the importer recognises in the cells of a file, besides the header labels (those are
data: the ``client.import.header`` records, see ``headers``): the country names of old systems
and the phone types, compared after ``headers.normalize_header``.

Each list is text, its labels separated by ";" (English, Latvian, Czech, Russian and Polish)."""


def _labels(text):
    return [" ".join(label.split()) for label in text.split(";") if label.strip()]


# Country names as the users' old systems write them (besides ISO codes and the names of the
# installed languages): name=ISO code.
COUNTRY_ALIASES = dict(
    item.split("=")
    for item in _labels(
        """
        latvija=LV; латвия=LV; lotyssko=LV; lotwa=LV; lietuva=LT; литва=LT; litva=LT; litwa=LT; lietuva lt=LT;
        eesti=EE; эстония=EE; igaunija=EE; estonsko=EE; estonia=EE; cesko=CZ; ceska republika=CZ; czechia=CZ;
        czech republic=CZ; cehija=CZ; чехия=CZ; czechy=CZ; polska=PL; польша=PL; polija=PL; polsko=PL;
        россия=RU; российская федерация=RU; krievija=RU; rusko=RU; rosja=RU; russia=RU; казахстан=KZ;
        kazahstana=KZ; kazachstan=KZ; kazachstán=KZ; украина=UA; ukraina=UA; ukrajina=UA; беларусь=BY;
        baltkrievija=BY; deutschland=DE; vacija=DE; nemecko=DE; niemcy=DE; германия=DE; slovensko=SK;
        slovakia=SK; slovakija=SK; словакия=SK; slowacja=SK; suomi=FI; somija=FI; sverige=SE; zviedrija=SE;
        """
    )
)

# The country a file's headers tell when nothing else does (Russian headers tell none: Russian
# is written in several countries; the numbers decide there).
LANG_COUNTRIES = {"lv": "LV", "cs": "CZ", "pl": "PL"}

# Phone types as a "Phone type" column writes them (besides the names of the types in the
# installed languages): word=XML id of the type.
PHONE_TYPE_ALIASES = dict(
    item.split("=")
    for item in _labels(
        """
        mobile=phone_type_mobile; mob=phone_type_mobile; cell=phone_type_mobile; mobilais=phone_type_mobile;
        mobil=phone_type_mobile; mobilni=phone_type_mobile; мобильный=phone_type_mobile; моб=phone_type_mobile;
        сотовый=phone_type_mobile; komorkowy=phone_type_mobile; komorka=phone_type_mobile;
        work=phone_type_work; office=phone_type_work; landline=phone_type_work; darba=phone_type_work;
        pracovni=phone_type_work; prace=phone_type_work; рабочий=phone_type_work; służbowy=phone_type_work;
        sluzbowy=phone_type_work; stacjonarny=phone_type_work;
        home=phone_type_home; majas=phone_type_home; domu=phone_type_home; domaci=phone_type_home;
        домашний=phone_type_home; domowy=phone_type_home;
        """
    )
)
