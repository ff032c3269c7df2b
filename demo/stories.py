"""Demo stories of the editions, written for this project: some told in
English and translated into Russian and Belarusian, some only in one
edition (the editions are newsrooms of their own, not only translations).

Each story: its section's slug, and per edition (headline, slug, dateline
place, lead, paragraphs, tags). The English version, when there is one,
is the original the others translate."""

STORIES = [
    {
        "section": "culture",
        "en": (
            "Exhibition of Belarusian painting opens in Minsk",
            "exhibition-of-belarusian-painting-opens-in-minsk",
            "MINSK",
            "More than 200 works from regional museums are on show at the National Art "
            "Museum until the end of January.",
            [
                "Landscapes, portraits and still lifes painted over two centuries have come to "
                "the capital from Grodno, Vitebsk, Mogilev and a dozen district museums.",
                "The curators say many of the canvases are shown outside their home towns for "
                "the first time. Guided tours run every weekend.",
            ],
            ["exhibition", "painting", "museum"],
        ),
        "ru": (
            "Выставка белорусской живописи открылась в Минске",
            "vystavka-belorusskoj-zhivopisi-otkrylas-v-minske",
            "МИНСК",
            "Более 200 работ из региональных музеев представлены в Национальном "
            "художественном музее до конца января.",
            [
                "Пейзажи, портреты и натюрморты, написанные за два столетия, привезли в "
                "столицу из Гродно, Витебска, Могилева и десятка районных музеев.",
                "По словам кураторов, многие полотна впервые показывают за пределами родных "
                "городов. Экскурсии проходят каждые выходные.",
            ],
            ["выставка", "живопись", "музей"],
        ),
        "be": (
            "Выстава беларускага жывапісу адкрылася ў Мінску",
            "vystava-belaruskaga-zhyvapisu-adkrylasia-u-minsku",
            "МІНСК",
            "Больш за 200 твораў з рэгіянальных музеяў прадстаўлены ў Нацыянальным "
            "мастацкім музеі да канца студзеня.",
            [
                "Пейзажы, партрэты і нацюрморты, напісаныя за два стагоддзі, прывезлі ў "
                "сталіцу з Гродна, Віцебска, Магілёва і дзясятка раённых музеяў.",
                "Як кажуць куратары, многія палотны ўпершыню паказваюць за межамі родных "
                "гарадоў. Экскурсіі праходзяць кожныя выхадныя.",
            ],
            ["выстава", "жывапіс", "музей"],
        ),
    },
    {
        "section": "economics",
        "en": (
            "Grodno Oblast farmers finish the grain harvest ahead of schedule",
            "grodno-oblast-farmers-finish-the-grain-harvest-ahead-of-schedule",
            "GRODNO",
            "Farms of the region gathered more than 1.8 million tonnes of grain, with an "
            "average yield of 45 centners per hectare.",
            [
                "The weather helped this year: the fields dried quickly after the August rains "
                "and combines worked in two shifts.",
                "The grain has been taken to elevators and mills; part of it will be sold "
                "abroad, the regional committee said.",
            ],
            ["agriculture", "harvest", "Grodno Oblast"],
        ),
        "ru": (
            "Аграрии Гродненской области завершили уборку зерновых раньше срока",
            "agrarii-grodnenskoj-oblasti-zavershili-uborku-zernovyh",
            "ГРОДНО",
            "Хозяйства региона собрали более 1,8 млн т зерна при средней урожайности 45 ц/га.",
            [
                "В этом году помогла погода: после августовских дождей поля быстро просохли, "
                "и комбайны работали в две смены.",
                "Зерно отправлено на элеваторы и мельницы; часть урожая продадут за рубеж, "
                "сообщили в облисполкоме.",
            ],
            ["сельское хозяйство", "урожай", "Гродненская область"],
        ),
        "be": (
            "Аграрыі Гродзенскай вобласці завяршылі ўборку збожжавых раней за тэрмін",
            "agraryi-grodzenskaj-voblasci-zaviarshyli-uborku-zbozhzhavyh",
            "ГРОДНА",
            "Гаспадаркі рэгіёна сабралі больш за 1,8 млн т збожжа пры сярэдняй "
            "ураджайнасці 45 ц/га.",
            [
                "Сёлета дапамагло надвор'е: пасля жнівеньскіх дажджоў палі хутка прасохлі, "
                "і камбайны працавалі ў дзве змены.",
                "Збожжа адвезена на элеватары і млыны; частку ўраджаю прададуць за мяжу, "
                "паведамілі ў аблвыканкаме.",
            ],
            ["сельская гаспадарка", "ураджай", "Гродзенская вобласць"],
        ),
    },
    {
        "section": "sport",
        "en": (
            "Minsk hockey club wins the opening match of the season",
            "minsk-hockey-club-wins-the-opening-match-of-the-season",
            "MINSK",
            "The home side beat their guests 3:1 in front of 15,000 spectators.",
            [
                "Two goals came in the second period, both after quick passes from the "
                "club's young defenders.",
                "The coach thanked the fans and said the team still had work to do on its "
                "power play.",
            ],
            ["hockey", "sport"],
        ),
        "ru": (
            "Минский хоккейный клуб выиграл первый матч сезона",
            "minskij-hokkejnyj-klub-vyigral-pervyj-match-sezona",
            "МИНСК",
            "Хозяева обыграли гостей со счетом 3:1 на глазах у 15 тысяч зрителей.",
            [
                "Две шайбы были заброшены во втором периоде, обе после быстрых передач "
                "молодых защитников клуба.",
                "Тренер поблагодарил болельщиков и отметил, что команде еще нужно "
                "поработать над игрой в большинстве.",
            ],
            ["хоккей", "спорт"],
        ),
        "be": (
            "Мінскі хакейны клуб выйграў першы матч сезона",
            "minski-hakejny-klub-vyjgrau-pershy-match-sezona",
            "МІНСК",
            "Гаспадары абыгралі гасцей з лікам 3:1 на вачах у 15 тысяч гледачоў.",
            [
                "Дзве шайбы былі закінуты ў другім перыядзе, абедзве пасля хуткіх перадач "
                "маладых абаронцаў клуба.",
                "Трэнер падзякаваў заўзятарам і адзначыў, што камандзе яшчэ трэба "
                "папрацаваць над гульнёй у большасці.",
            ],
            ["хакей", "спорт"],
        ),
    },
    {
        "section": "society",
        "en": (
            "New school for 1,020 pupils opens in Brest",
            "new-school-for-1020-pupils-opens-in-brest",
            "BREST",
            "The building has a swimming pool, a planetarium and laboratories for robotics "
            "classes.",
            [
                "The school was built in a new residential district in eighteen months. "
                "Its first pupils came to lessons on Monday.",
                "Parents say the children no longer need to take two buses to get to school.",
            ],
            ["education", "school", "Brest"],
        ),
        "ru": (
            "В Бресте открылась новая школа на 1020 учеников",
            "v-breste-otkrylas-novaya-shkola-na-1020-uchenikov",
            "БРЕСТ",
            "В здании есть бассейн, планетарий и лаборатории для занятий робототехникой.",
            [
                "Школу построили в новом жилом микрорайоне за полтора года. Первые ученики "
                "пришли на уроки в понедельник.",
                "Родители говорят, что детям больше не нужно ездить в школу с пересадкой.",
            ],
            ["образование", "школа", "Брест"],
        ),
        "be": (
            "У Брэсце адкрылася новая школа на 1020 вучняў",
            "u-bresce-adkrylasia-novaia-shkola-na-1020-vuchniau",
            "БРЭСТ",
            "У будынку ёсць басейн, планетарый і лабараторыі для заняткаў робататэхнікай.",
            [
                "Школу пабудавалі ў новым жылым мікрараёне за паўтара года. Першыя вучні "
                "прыйшлі на ўрокі ў панядзелак.",
                "Бацькі кажуць, што дзецям больш не трэба ездзіць у школу з перасадкай.",
            ],
            ["адукацыя", "школа", "Брэст"],
        ),
    },
    {
        "section": "economics",
        "en": (
            "Dairy exports up 12% in January-September",
            "dairy-exports-up-12-in-january-september",
            "MINSK",
            "Dairy producers shipped their goods to 45 countries, with Asian markets "
            "growing fastest.",
            [
                "Cheese and butter made up more than half of the sales abroad, powdered milk "
                "most of the rest.",
                "Producers plan to open new lines for baby food next year.",
            ],
            ["economy", "exports", "dairy"],
        ),
        "ru": (
            "Экспорт молочной продукции за январь-сентябрь вырос на 12%",
            "eksport-molochnoj-produkcii-vyros-na-12",
            "МИНСК",
            "Производители отправили продукцию в 45 стран, быстрее всего растут поставки в Азию.",
            [
                "Сыры и сливочное масло составили больше половины продаж за рубежом, "
                "основную часть остального — сухое молоко.",
                "В следующем году производители планируют открыть новые линии детского питания.",
            ],
            ["экономика", "экспорт", "молочная продукция"],
        ),
    },
    {
        "section": "regions",
        "ru": (
            "В Витебске отреставрировали старинную ратушу",
            "v-vitebske-otrestavrirovali-starinnuyu-ratushu",
            "ВИТЕБСК",
            "Работы продолжались два года; в здании откроется музей истории города.",
            [
                "Реставраторы восстановили часы на башне и росписи в зале заседаний по "
                "старым фотографиям.",
                "Первые посетители смогут подняться на смотровую площадку уже в декабре.",
            ],
            ["реставрация", "Витебск", "музей"],
        ),
    },
    {
        "section": "culture",
        "ru": (
            "В Гомеле прошел фестиваль народной музыки",
            "v-gomele-proshel-festival-narodnoj-muzyki",
            "ГОМЕЛЬ",
            "На сцене в парке выступили более 30 коллективов из всех областей страны.",
            [
                "Гости фестиваля услышали старинные свадебные песни, игру на цимбалах и дудах.",
                "Мастера народных ремесел провели занятия для детей.",
            ],
            ["фестиваль", "музыка", "Гомель"],
        ),
    },
    {
        "section": "government",
        "ru": (
            "Правительство утвердило программу развития малых городов",
            "pravitelstvo-utverdilo-programmu-razvitiya-malyh-gorodov",
            "МИНСК",
            "Документ предусматривает строительство жилья, дорог и поликлиник до 2030 года.",
            [
                "В программу вошли 40 городов с населением до 50 тысяч человек.",
                "Местные власти до конца года представят планы, что строить в первую очередь.",
            ],
            ["правительство", "малые города"],
        ),
    },
    {
        "section": "world",
        "ru": (
            "Министры транспорта обсудили новые коридоры для грузов",
            "ministry-transporta-obsudili-novye-koridory",
            "ТАШКЕНТ",
            "Участники встречи договорились упростить перевозку грузов через границы.",
            [
                "Речь шла о железнодорожных маршрутах между Европой и Азией.",
                "Следующая встреча министров запланирована на весну.",
            ],
            ["транспорт", "дипломатия"],
        ),
    },
    {
        "section": "culture",
        "be": (
            "У Полацку пачаўся фестываль сярэднявечнай культуры",
            "u-polacku-pachausia-festyval-siarednia-vechnaj-kultury",
            "ПОЛАЦК",
            "Госці свята ўбачаць рыцарскія турніры і майстар-класы рамеснікаў.",
            [
                "На беразе Дзвіны паставілі намёты кавалёў, ганчароў і ткачоў.",
                "Вечарам на плошчы выступяць гурты старадаўняй музыкі.",
            ],
            ["фестываль", "Полацк", "гісторыя"],
        ),
    },
    {
        "section": "society",
        "be": (
            "Свята беларускага пісьменства прайшло ў Нясвіжы",
            "sviata-belaruskaga-pismienstva-prajshlo-u-niasvizhy",
            "НЯСВІЖ",
            "У праграме былі сустрэчы з пісьменнікамі, кніжны кірмаш і канцэрт.",
            [
                "Выдавецтвы прывезлі новыя кнігі для дзяцей і зборнікі паэзіі.",
                "Лепшыя школьныя бібліятэкі атрымалі ў падарунак камплекты кніг.",
            ],
            ["пісьменства", "кнігі", "Нясвіж"],
        ),
    },
    {
        "section": "regions",
        "be": (
            "На Гомельшчыне адрамантавалі мост праз Сож",
            "na-gomielshchynie-adramantavali-most-praz-sozh",
            "ГОМЕЛЬ",
            "Рух па мосце адкрыты на тыдзень раней, чым планавалася.",
            [
                "Будаўнікі замянілі апоры і пакрыццё, зрабілі новыя тратуары.",
                "Аўтобусы зноў ходзяць па звычайным маршруце.",
            ],
            ["дарогі", "Гомельская вобласць"],
        ),
    },
    {
        "section": "economics",
        "be": (
            "Прадпрыемствы Магілёўшчыны павялічылі выпуск прадукцыі",
            "pradpryiemstvy-magiliouschyny-pavialichyli-vypusk",
            "МАГІЛЁЎ",
            "За дзевяць месяцаў рост склаў 7 працэнтаў, найбольш — у машынабудаванні.",
            [
                "Заводы рэгіёна атрымалі новыя заказы ад партнёраў з суседніх краін.",
                "Да канца года плануецца адкрыць яшчэ дзве вытворчыя лініі.",
            ],
            ["эканоміка", "прамысловасць", "Магілёўская вобласць"],
        ),
    },
    {
        "section": "sport",
        "be": (
            "Беларускія біятланісткі рыхтуюцца да Кубка свету",
            "belaruskiia-biiatlanistki-rykhtuiucca-da-kubka-svietu",
            "РАЎБІЧЫ",
            "Зборная праводзіць трэніровачны збор на лыжаролерах.",
            [
                "Спартсменкі трэніруюцца двойчы на дзень, асаблівую ўвагу надаюць стральбе.",
                "Першы этап Кубка свету пачнецца ў канцы лістапада.",
            ],
            ["біятлон", "спорт"],
        ),
    },
]
