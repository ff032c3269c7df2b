"""The news the corpus feeds carry, per language: three items, each a
headline, a lead and a paragraph. Written for this project."""

TEXTS = {
    "en": [
        (
            'Q&A: the minister\'s "plan" for <2027>',
            "Five questions & answers on the budget.",
            "The minister said the plan would be published in full.",
        ),
        (
            "Port of Klaipeda opens a new container terminal",
            "It handles 500 ships a year.",
            "The terminal cost 120 million euros, officials said.",
        ),
        (
            "Grain exports up 12% in October",
            'Farmers call the rise "a relief".',
            "Wheat and barley made up most of the shipments.",
        ),
    ],
    "ru": [
        (
            'Минск и Пекин подписали соглашение о "зелёном" коридоре',
            "Документ рассчитан на пять лет.",
            "Соглашение подписали министры транспорта двух стран.",
        ),
        (
            "В Гомеле открылся новый мост через Сож",
            "Движение по мосту запущено в понедельник.",
            "Длина моста составляет 450 метров.",
        ),
        (
            "Урожай зерновых превысил 8 млн тонн",
            "Это на 5% больше, чем год назад.",
            "Лучшие результаты показали Гродненская и Минская области.",
        ),
    ],
    "be": [
        (
            "У Мінску адкрылася выстава беларускага мастацтва",
            "Выстава працуе да канца снежня.",
            "Наведвальнікі ўбачаць больш за дзвесце работ.",
        ),
        (
            "Новы мост праз Сож адкрыты для руху",
            "Рух па мосце пачаўся ў панядзелак.",
            "Даўжыня моста складае 450 метраў.",
        ),
        (
            "Ураджай збожжа перавысіў 8 млн тон",
            "Гэта на 5% больш, чым летась.",
            "Лепшыя вынікі ў Гродзенскай і Мінскай абласцях.",
        ),
    ],
    "uk": [
        (
            "У Києві відкрилася виставка сучасного мистецтва",
            "Виставка триватиме до кінця грудня.",
            "Відвідувачі побачать понад двісті робіт.",
        ),
        (
            "Новий міст через Дніпро відкрито для руху",
            "Рух мостом розпочався в понеділок.",
            "Довжина мосту становить 450 метрів.",
        ),
        (
            "Урожай зернових перевищив 50 млн тонн",
            "Це на 5% більше, ніж торік.",
            "Найкращі результати показали Полтавська і Київська області.",
        ),
    ],
    "zh-hans": [
        ("北京与明斯克签署交通合作协议", "协议有效期为五年。", "两国交通部长在北京签署了该协议。"),
        (
            "上海港集装箱吞吐量创新高",
            "十月吞吐量同比增长百分之八。",
            "港口官员表示，增长主要来自出口。",
        ),
        (
            "中国东北地区迎来今冬首场大雪",
            "气象部门发布了道路结冰预警。",
            "部分航班和列车受到影响。",
        ),
    ],
    "zh-hant": [
        ("台北市政府宣布新的交通計畫", "計畫將在明年實施。", "市長表示，新計畫將改善市民的通勤。"),
        ("香港國際機場客運量回升", "十月旅客人數超過四百萬。", "機場管理局預計年底將進一步增長。"),
        ("台灣半導體出口創新高", "出口額較去年同期增長兩成。", "業界人士認為需求將持續。"),
    ],
    "ja": [
        (
            "東京都が新しい交通計画を発表",
            "計画は来年から実施される。",
            "知事は通勤の改善につながると述べた。",
        ),
        (
            "大阪港のコンテナ取扱量が過去最高に",
            "十月の取扱量は前年比八パーセント増。",
            "輸出の伸びが主な要因だという。",
        ),
        (
            "北海道で今冬初めての大雪",
            "気象庁は路面凍結に注意を呼びかけた。",
            "一部の列車と航空便に影響が出た。",
        ),
    ],
    "ko": [
        (
            "서울시, 새 교통 계획 발표",
            "계획은 내년부터 시행된다.",
            "시장은 출퇴근이 편리해질 것이라고 말했다.",
        ),
        (
            "부산항 컨테이너 물동량 사상 최대",
            "10월 물동량은 작년보다 8% 늘었다.",
            "수출 증가가 주된 원인이다.",
        ),
        (
            "강원도에 올겨울 첫 폭설",
            "기상청은 도로 결빙에 주의를 당부했다.",
            "일부 항공편이 결항됐다.",
        ),
    ],
    "ar": [
        (
            "القاهرة وعمّان توقعان اتفاقية للنقل",
            "تمتد الاتفاقية خمس سنوات.",
            "وقع الاتفاقية وزيرا النقل في البلدين.",
        ),
        ("ارتفاع صادرات الحبوب بنسبة 12%", "المزارعون يرحبون بالزيادة.", "شكل القمح معظم الشحنات."),
        (
            "افتتاح جسر جديد فوق النيل",
            "بدأت الحركة على الجسر يوم الاثنين.",
            "يبلغ طول الجسر 450 مترا.",
        ),
    ],
    "he": [
        (
            "ירושלים ותל אביב חתמו על הסכם תחבורה",
            "ההסכם יחול במשך חמש שנים.",
            "השרים חתמו על ההסכם בירושלים.",
        ),
        ("יצוא התבואה עלה ב-12%", "החקלאים מברכים על העלייה.", "החיטה היוותה את רוב המשלוחים."),
        ("גשר חדש נפתח לתנועה", "התנועה על הגשר החלה ביום שני.", "אורך הגשר 450 מטרים."),
    ],
    "el": [
        (
            "Η Αθήνα ανακοινώνει νέο σχέδιο μεταφορών",
            "Το σχέδιο θα εφαρμοστεί από του χρόνου.",
            "Ο δήμαρχος είπε ότι θα βελτιώσει τις μετακινήσεις.",
        ),
        (
            "Ρεκόρ διακίνησης εμπορευματοκιβωτίων στον Πειραιά",
            "Αύξηση 8% τον Οκτώβριο.",
            "Οι εξαγωγές ήταν η κύρια αιτία.",
        ),
        (
            "Πρώτα χιόνια στη Θεσσαλία",
            "Η ΕΜΥ προειδοποιεί για παγετό.",
            "Επηρεάστηκαν ορισμένα δρομολόγια.",
        ),
    ],
    "pl": [
        (
            "Warszawa ogłasza nowy plan komunikacji",
            "Plan wejdzie w życie w przyszłym roku.",
            "Prezydent miasta powiedział, że poprawi dojazdy.",
        ),
        (
            "Rekordowe przeładunki w porcie w Gdańsku",
            "W październiku wzrost o 8%.",
            "Główną przyczyną był eksport zbóż.",
        ),
        (
            "Pierwszy śnieg na Podhalu",
            "Synoptycy ostrzegają przed gołoledzią.",
            "Zamknięto kilka dróg.",
        ),
    ],
    "cs": [
        (
            "Praha představila nový dopravní plán",
            "Plán začne platit příští rok.",
            "Primátor řekl, že zlepší dojíždění.",
        ),
        (
            "Vývoz obilí vzrostl o 12 %",
            "Zemědělci růst vítají.",
            "Většinu zásilek tvořila pšenice.",
        ),
        (
            "Na Šumavě napadl první sníh",
            "Meteorologové varují před náledím.",
            "Některé silnice jsou uzavřeny.",
        ),
    ],
    "tr": [
        (
            "İstanbul yeni ulaşım planını açıkladı",
            "Plan gelecek yıl uygulanacak.",
            "Belediye başkanı planın işe gidişi kolaylaştıracağını söyledi.",
        ),
        (
            "Tahıl ihracatı yüzde 12 arttı",
            "Çiftçiler artıştan memnun.",
            "Sevkiyatların çoğunu buğday oluşturdu.",
        ),
        (
            "Erzurum'a mevsimin ilk karı yağdı",
            "Meteoroloji buzlanma uyarısı yaptı.",
            "Bazı yollar kapandı.",
        ),
    ],
    "fr": [
        (
            "Paris dévoile un « plan vélo » très attendu",
            "Le plan sera appliqué dès l'an prochain.",
            "La maire a déclaré qu'il améliorera les trajets quotidiens.",
        ),
        (
            "Hausse de 12 % des exportations de céréales",
            "Les agriculteurs saluent la nouvelle.",
            "Le blé représente l'essentiel des expéditions.",
        ),
        (
            "Premières neiges dans les Alpes françaises",
            "Météo-France prévoit du verglas.",
            "Plusieurs routes de montagne sont fermées.",
        ),
    ],
    "de": [
        (
            "Berlin stellt neuen Verkehrsplan vor",
            "Der Plan gilt ab nächstem Jahr.",
            "Die Bürgermeisterin sagte, er verbessere den Pendelverkehr.",
        ),
        (
            "Getreideexporte steigen um 12 Prozent",
            "Landwirte begrüßen den Anstieg.",
            "Weizen machte den größten Teil der Lieferungen aus.",
        ),
        (
            "Erster Schnee im Allgäu – Glätte droht",
            "Der Wetterdienst warnt vor überfrierender Nässe.",
            "Mehrere Straßen sind gesperrt.",
        ),
    ],
    "th": [
        ("กรุงเทพฯ ประกาศแผนการขนส่งใหม่", "แผนจะเริ่มใช้ในปีหน้า", "ผู้ว่าราชการกล่าวว่าแผนนี้จะช่วยการเดินทาง"),
        ("การส่งออกข้าวเพิ่มขึ้นร้อยละ 12", "เกษตรกรยินดีกับการเพิ่มขึ้น", "ข้าวหอมมะลิเป็นสินค้าหลัก"),
        ("เชียงใหม่อากาศหนาวที่สุดในรอบปี", "กรมอุตุฯ เตือนประชาชน", "อุณหภูมิลดลงต่ำกว่า 10 องศา"),
    ],
    "vi": [
        (
            "Hà Nội công bố kế hoạch giao thông mới",
            "Kế hoạch sẽ áp dụng từ năm sau.",
            "Chủ tịch thành phố nói kế hoạch sẽ giúp việc đi lại.",
        ),
        ("Xuất khẩu gạo tăng 12%", "Nông dân vui mừng.", "Gạo thơm chiếm phần lớn lô hàng."),
        (
            "Sa Pa đón đợt rét đầu mùa",
            "Cơ quan khí tượng cảnh báo băng giá.",
            "Một số tuyến đường bị ảnh hưởng.",
        ),
    ],
    "hi": [
        (
            "दिल्ली ने नई परिवहन योजना की घोषणा की",
            "योजना अगले वर्ष लागू होगी।",
            "मुख्यमंत्री ने कहा कि इससे आवागमन आसान होगा।",
        ),
        ("अनाज निर्यात में 12% की वृद्धि", "किसानों ने वृद्धि का स्वागत किया।", "गेहूं का हिस्सा सबसे बड़ा रहा।"),
        ("हिमाचल में इस मौसम की पहली बर्फबारी", "मौसम विभाग ने चेतावनी जारी की।", "कुछ सड़कें बंद हैं।"),
    ],
    "ka": [
        (
            "თბილისმა ახალი სატრანსპორტო გეგმა წარადგინა",
            "გეგმა მომავალი წლიდან ამოქმედდება.",
            "მერმა თქვა, რომ გეგმა მგზავრობას გააუმჯობესებს.",
        ),
        (
            "მარცვლეულის ექსპორტი 12%-ით გაიზარდა",
            "ფერმერები ზრდას მიესალმებიან.",
            "ტვირთის უმეტესობა ხორბალია.",
        ),
        (
            "გუდაურში პირველი თოვლი მოვიდა",
            "სინოპტიკოსები ყინულზე აფრთხილებენ.",
            "ზოგიერთი გზა ჩაიკეტა.",
        ),
    ],
    "hy": [
        (
            "Երևանը ներկայացրեց տրանսպորտի նոր ծրագիր",
            "Ծրագիրը կգործի հաջորդ տարվանից։",
            "Քաղաքապետը ասաց, որ այն կհեշտացնի երթևեկը։",
        ),
        (
            "Հացահատիկի արտահանումն աճել է 12%-ով",
            "Ֆերմերները ողջունում են աճը։",
            "Բեռների մեծ մասը ցորեն է։",
        ),
        (
            "Ջերմուկում տեղացել է առաջին ձյունը",
            "Եղանակի ծառայությունը զգուշացնում է։",
            "Որոշ ճանապարհներ փակ են։",
        ),
    ],
    "emoji": [
        (
            "🎉 Minsk marathon sets a record 🏃‍♀️🏃",
            "Over 20,000 runners took part 👏.",
            "The winner finished in 2:08 🥇.",
        ),
        (
            "Weather: snow ❄️ and ice 🧊 expected",
            "Drivers are asked to take care 🚗.",
            "Temperatures fall to −12 °C 🌡️.",
        ),
        (
            "🇧🇾 Belarus & 🇨🇳 China sign a trade deal",
            "The deal covers 🚜 machinery and 🌾 grain.",
            "It takes effect in January 📅.",
        ),
    ],
}
