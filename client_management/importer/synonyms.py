"""What the importer recognises, as data: the header labels of each target and the country names
of old systems (both compared after ``headers.normalize_header``).

Each list is text, its labels separated by ";" (English, Latvian, Czech, Russian and Polish, in
that order). A later step moves them to a model that an administrator extends."""


def _labels(text):
    return [" ".join(label.split()) for label in text.split(";") if label.strip()]


# Header labels per target, besides its canonical header (headers.CANONICAL_HEADERS).
HEADER_SYNONYMS = {
    "name": _labels(
        """
        name; full name; client; client name; customer; customer name; company name; contact; contact name;
        display name; vards; vards uzvards; pilns vards; klients; klienta vards; nosaukums; uznemuma nosaukums;
        vards un uzvards; jmeno; cele jmeno; jmeno a prijmeni; zakaznik; klient; nazev; nazev firmy;
        nazev spolecnosti; obchodni jmeno; имя; фио; полное имя; клиент; имя клиента; наименование; название;
        название компании; наименование организации; контрагент; imie; imie i nazwisko; nazwa; nazwa firmy;
        klient; nazwa klienta; kontrahent;
        """
    ),
    "company_type": _labels(
        """
        type; client type; customer type; person or company; company type; kind; entity type; tips;
        klienta tips; personas tips; veids; typ; typ klienta; druh; typ subjektu; osoba; тип; тип клиента; вид;
        лицо; тип лица; typ; rodzaj; rodzaj klienta; typ kontrahenta; forma;
        """
    ),
    "parent": _labels(
        """
        company; parent company; employer; organisation; organization; works at; uznemums; darbavieta;
        organizacija; firma; spolecnost; firma; zamestnavatel; organizace; компания; организация; место работы;
        работодатель; firma; pracodawca; organizacja; spolka;
        """
    ),
    "email": _labels(
        """
        email; e mail; emails; e mails; mail; email address; e mail address; epasts; e pasts; e pasta adrese;
        epasta adrese; e mail adresa; emailova adresa; email adresa; posta; почта; электронная почта; эл почта;
        e mail адрес; адрес электронной почты; емейл; poczta; adres email; adres e mail; poczta e mail;
        """
    ),
    "phone": _labels(
        """
        phone; phones; phone number; telephone; tel; mobile; mobile phone; cell; cell phone; telefons; talrunis;
        talr; mobilais; mobilais telefons; telefona numurs; telefon; telefonni cislo; mobil; cislo; tel cislo;
        телефон; телефоны; тел; мобильный; мобильный телефон; номер телефона; сотовый; telefon; numer telefonu;
        telefon komorkowy; komorka; nr telefonu;
        """
    ),
    "vat": _labels(
        """
        vat; vat number; vat id; tax number; tax id; tin; company id; registration number; pvn; pvn numurs;
        pvn nr; nodoklu maksataja numurs; registracijas numurs; reg nr; dic; ico; danove cislo;
        danove identifikacni cislo; identifikacni cislo; инн; ндс; налоговый номер; бин; иин;
        регистрационный номер; nip; numer nip; numer podatkowy; regon;
        """
    ),
    "ref": _labels(
        """
        code; client code; customer code; ref; reference; id; client id; customer id; kods; klienta kods;
        numurs; klienta numurs; kod; kod klienta; cislo zakaznika; zakaznicke cislo; код; код клиента;
        номер клиента; kod; kod klienta; numer klienta; id klienta;
        """
    ),
    "street": _labels(
        """
        address; street; street address; adrese; iela; adresa; ulice; адрес; улица; adres; ulica;
        """
    ),
    "city": _labels(
        """
        city; town; pilseta; mesto; obec; город; населенный пункт; miasto; miejscowosc;
        """
    ),
    "zip": _labels(
        """
        zip; zip code; postcode; post code; postal code; pasta indekss; indekss; psc; postovni smerovaci cislo;
        индекс; почтовый индекс; kod pocztowy;
        """
    ),
    "country": _labels(
        """
        country; valsts; zeme; stat; страна; kraj; panstwo;
        """
    ),
    "website": _labels(
        """
        website; web; web site; site; url; homepage; majaslapa; majas lapa; timekla vietne; web stranka;
        webove stranky; www; сайт; веб сайт; strona; strona www; strona internetowa;
        """
    ),
    "comment": _labels(
        """
        notes; note; comment; comments; remarks; description; piezimes; piezime; komentars; komentari; apraksts;
        poznamka; poznamky; komentar; popis; примечание; примечания; комментарий; заметки; описание; uwagi;
        notatki; komentarz; opis;
        """
    ),
    "category": _labels(
        """
        tags; tag; category; categories; labels; groups; birkas; birka; kategorija; kategorijas; grupa; stitky;
        stitek; kategorie; skupina; теги; тег; метки; категория; категории; группа; tagi; tag; etykiety;
        kategoria; kategorie; grupa;
        """
    ),
    "birthdate": _labels(
        """
        birthdate; birth date; date of birth; birthday; dob; dzimsanas datums; dzimsanas diena; dz datums;
        datum narozeni; narozeniny; narozen; дата рождения; день рождения; др; data urodzenia; urodziny;
        """
    ),
    "user": _labels(
        """
        manager; responsible; responsible manager; salesperson; account manager; owner; user; menedzeris;
        atbildigais; atbildigais menedzeris; pardevejs; lietotajs; manazer; odpovedny; odpovedna osoba;
        obchodnik; prodejce; uzivatel; менеджер; ответственный; ответственный менеджер; продавец; пользователь;
        menedzer; opiekun; odpowiedzialny; handlowiec; uzytkownik;
        """
    ),
    "is_supplier": _labels(
        """
        supplier; vendor; is supplier; piegadatajs; dodavatel; поставщик; dostawca;
        """
    ),
    "is_conflict": _labels(
        """
        conflict; conflict client; problem client; blacklist; konflikts; konfliktejoss; problematisks klients;
        konflikt; konfliktni; problemovy zakaznik; конфликт; конфликтный; конфликтный клиент; проблемный клиент;
        konflikt; konfliktowy; problematyczny klient;
        """
    ),
    "acquisition_source": _labels(
        """
        how did you hear about us; source; lead source; acquisition channel; channel; referral;
        how did the client hear about us; where did you hear about us; ka uzzinaja par mums;
        ka uzzinajat par mums; avots; kanals; piesaistes kanals; jak jste se o nas dozvedeli;
        jak se o nas dozvedel; zdroj; kanal; откуда узнали; как узнали о нас; откуда узнал; источник; канал;
        канал привлечения; skad pan pani o nas wie; skad o nas wiesz; skad sie dowiedzial; zrodlo;
        kanal pozyskania;
        """
    ),
}

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
