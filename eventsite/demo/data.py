"""The demo alliance: ~90 member units of every kind, with invented contacts.

Unit names are real places, but memberships, people, phones and emails are invented (every
address is under demo.example.org and every unit's notes say DEMO DATA).
"""
from __future__ import annotations

import re
import unicodedata

DEMO_DOMAIN = "demo.example.org"
DEMO_NOTE = "DEMO DATA — invented for demonstration; not a real membership or contact."

# Tags, named in both languages as the unit form takes them ("English / 中文", members/tags.py).
EU_PAIR = "EU-China urbanization partnership pair / 中欧城镇化伙伴城市"
BRI = "Belt and Road / 一带一路"
YANGTZE = "Yangtze River Economic Belt / 长江经济带"
YELLOW = "Yellow River Basin / 黄河流域"
CHENGYU = "Chengdu-Chongqing Economic Circle / 成渝地区双城经济圈"
GBA = "Guangdong-Hong Kong-Macao Greater Bay Area / 粤港澳大湾区"
SMART = "Smart city pilot / 智慧城市试点"
LOWCARBON = "Low-carbon pilot / 低碳试点"
HERITAGE = "Historic and cultural town / 历史文化名镇"

# (kind, name_zh, name_en, country, province or region, batch, tags)
UNITS: list[tuple[str, str, str, str, str, int, tuple[str, ...]]] = [
    # prefecture-level cities
    ("prefecture_city", "成都市", "Chengdu", "CN", "CN-SC", 1, (EU_PAIR, BRI, YANGTZE, CHENGYU)),
    ("prefecture_city", "绵阳市", "Mianyang", "CN", "CN-SC", 2, (CHENGYU, SMART)),
    ("prefecture_city", "德阳市", "Deyang", "CN", "CN-SC", 3, (CHENGYU,)),
    ("prefecture_city", "宜宾市", "Yibin", "CN", "CN-SC", 2, (YANGTZE, CHENGYU)),
    ("prefecture_city", "洛阳市", "Luoyang", "CN", "CN-HA", 1, (EU_PAIR, YELLOW, BRI)),
    ("prefecture_city", "郑州市", "Zhengzhou", "CN", "CN-HA", 1, (BRI, YELLOW)),
    ("prefecture_city", "开封市", "Kaifeng", "CN", "CN-HA", 3, (YELLOW,)),
    ("prefecture_city", "西安市", "Xi'an", "CN", "CN-SN", 1, (BRI, YELLOW, EU_PAIR)),
    ("prefecture_city", "宝鸡市", "Baoji", "CN", "CN-SN", 3, (YELLOW,)),
    ("prefecture_city", "苏州市", "Suzhou", "CN", "CN-JS", 1, (YANGTZE, SMART)),
    ("prefecture_city", "无锡市", "Wuxi", "CN", "CN-JS", 2, (YANGTZE, SMART)),
    ("prefecture_city", "常州市", "Changzhou", "CN", "CN-JS", 2, (YANGTZE, EU_PAIR)),
    ("prefecture_city", "扬州市", "Yangzhou", "CN", "CN-JS", 3, (YANGTZE,)),
    ("prefecture_city", "宁波市", "Ningbo", "CN", "CN-ZJ", 1, (BRI, YANGTZE)),
    ("prefecture_city", "温州市", "Wenzhou", "CN", "CN-ZJ", 2, ()),
    ("prefecture_city", "嘉兴市", "Jiaxing", "CN", "CN-ZJ", 2, (YANGTZE, LOWCARBON)),
    ("prefecture_city", "湖州市", "Huzhou", "CN", "CN-ZJ", 3, (YANGTZE, LOWCARBON)),
    ("prefecture_city", "合肥市", "Hefei", "CN", "CN-AH", 1, (YANGTZE, SMART)),
    ("prefecture_city", "芜湖市", "Wuhu", "CN", "CN-AH", 3, (YANGTZE,)),
    ("prefecture_city", "武汉市", "Wuhan", "CN", "CN-HB", 1, (YANGTZE, EU_PAIR, BRI)),
    ("prefecture_city", "宜昌市", "Yichang", "CN", "CN-HB", 2, (YANGTZE,)),
    ("prefecture_city", "襄阳市", "Xiangyang", "CN", "CN-HB", 3, (YANGTZE,)),
    ("prefecture_city", "长沙市", "Changsha", "CN", "CN-HN", 1, (YANGTZE, SMART)),
    ("prefecture_city", "株洲市", "Zhuzhou", "CN", "CN-HN", 2, (YANGTZE, EU_PAIR)),
    ("prefecture_city", "赣州市", "Ganzhou", "CN", "CN-JX", 3, ()),
    ("prefecture_city", "青岛市", "Qingdao", "CN", "CN-SD", 1, (BRI, YELLOW, EU_PAIR)),
    ("prefecture_city", "烟台市", "Yantai", "CN", "CN-SD", 2, ()),
    ("prefecture_city", "潍坊市", "Weifang", "CN", "CN-SD", 3, ()),
    ("prefecture_city", "厦门市", "Xiamen", "CN", "CN-FJ", 1, (BRI,)),
    ("prefecture_city", "泉州市", "Quanzhou", "CN", "CN-FJ", 2, (BRI,)),
    ("prefecture_city", "佛山市", "Foshan", "CN", "CN-GD", 2, (GBA, SMART)),
    ("prefecture_city", "珠海市", "Zhuhai", "CN", "CN-GD", 2, (GBA, EU_PAIR)),
    ("prefecture_city", "贵阳市", "Guiyang", "CN", "CN-GZ", 2, (YANGTZE, SMART)),
    ("prefecture_city", "昆明市", "Kunming", "CN", "CN-YN", 2, (BRI,)),
    ("prefecture_city", "兰州市", "Lanzhou", "CN", "CN-GS", 3, (BRI, YELLOW)),
    ("prefecture_city", "银川市", "Yinchuan", "CN", "CN-NX", 3, (YELLOW,)),
    ("prefecture_city", "呼和浩特市", "Hohhot", "CN", "CN-NM", 3, (YELLOW,)),
    ("prefecture_city", "哈尔滨市", "Harbin", "CN", "CN-HL", 2, (BRI,)),
    ("prefecture_city", "大连市", "Dalian", "CN", "CN-LN", 1, (EU_PAIR,)),
    # county-level cities
    ("county_city", "义乌市", "Yiwu", "CN", "CN-ZJ", 1, (BRI,)),
    ("county_city", "昆山市", "Kunshan", "CN", "CN-JS", 1, (YANGTZE, SMART)),
    ("county_city", "江阴市", "Jiangyin", "CN", "CN-JS", 2, (YANGTZE,)),
    ("county_city", "张家港市", "Zhangjiagang", "CN", "CN-JS", 2, (YANGTZE,)),
    ("county_city", "常熟市", "Changshu", "CN", "CN-JS", 3, (YANGTZE,)),
    ("county_city", "晋江市", "Jinjiang", "CN", "CN-FJ", 2, ()),
    ("county_city", "慈溪市", "Cixi", "CN", "CN-ZJ", 3, ()),
    ("county_city", "都江堰市", "Dujiangyan", "CN", "CN-SC", 2, (CHENGYU, HERITAGE)),
    ("county_city", "浏阳市", "Liuyang", "CN", "CN-HN", 3, ()),
    ("county_city", "寿光市", "Shouguang", "CN", "CN-SD", 3, (YELLOW,)),
    ("county_city", "瑞丽市", "Ruili", "CN", "CN-YN", 3, (BRI,)),
    # national-level new areas
    ("new_area", "浦东新区", "Pudong New Area", "CN", "CN-SH", 1, (YANGTZE, SMART)),
    ("new_area", "滨海新区", "Binhai New Area", "CN", "CN-TJ", 1, (EU_PAIR,)),
    ("new_area", "两江新区", "Liangjiang New Area", "CN", "CN-CQ", 1, (YANGTZE, CHENGYU, BRI)),
    ("new_area", "天府新区", "Tianfu New Area", "CN", "CN-SC", 1, (CHENGYU, EU_PAIR)),
    ("new_area", "西咸新区", "Xixian New Area", "CN", "CN-SN", 2, (YELLOW,)),
    ("new_area", "贵安新区", "Gui'an New Area", "CN", "CN-GZ", 2, (SMART,)),
    ("new_area", "南沙新区", "Nansha New Area", "CN", "CN-GD", 2, (GBA,)),
    ("new_area", "雄安新区", "Xiong'an New Area", "CN", "CN-HE", 3, (SMART, LOWCARBON)),
    ("new_area", "湘江新区", "Xiangjiang New Area", "CN", "CN-HN", 3, (YANGTZE,)),
    # districts
    ("district", "北京市朝阳区", "Chaoyang District, Beijing", "CN", "CN-BJ", 1, ()),
    ("district", "北京市海淀区", "Haidian District, Beijing", "CN", "CN-BJ", 2, (SMART,)),
    ("district", "上海市闵行区", "Minhang District, Shanghai", "CN", "CN-SH", 2, (YANGTZE,)),
    ("district", "杭州市西湖区", "Xihu District, Hangzhou", "CN", "CN-ZJ", 2, (HERITAGE,)),
    ("district", "成都市武侯区", "Wuhou District, Chengdu", "CN", "CN-SC", 3, (CHENGYU,)),
    ("district", "广州市天河区", "Tianhe District, Guangzhou", "CN", "CN-GD", 2, (GBA,)),
    ("district", "深圳市南山区", "Nanshan District, Shenzhen", "CN", "CN-GD", 1, (GBA, SMART)),
    ("district", "重庆市渝中区", "Yuzhong District, Chongqing", "CN", "CN-CQ", 3, (CHENGYU,)),
    ("district", "天津市和平区", "Heping District, Tianjin", "CN", "CN-TJ", 3, ()),
    # counties
    ("county", "安吉县", "Anji County", "CN", "CN-ZJ", 1, (LOWCARBON,)),
    ("county", "德清县", "Deqing County", "CN", "CN-ZJ", 2, (SMART,)),
    ("county", "长兴县", "Changxing County", "CN", "CN-ZJ", 3, ()),
    ("county", "蒲江县", "Pujiang County", "CN", "CN-SC", 3, (CHENGYU,)),
    ("county", "兰考县", "Lankao County", "CN", "CN-HA", 2, (YELLOW,)),
    ("county", "婺源县", "Wuyuan County", "CN", "CN-JX", 3, (HERITAGE,)),
    ("county", "正定县", "Zhengding County", "CN", "CN-HE", 2, (HERITAGE,)),
    ("county", "桐庐县", "Tonglu County", "CN", "CN-ZJ", 3, ()),
    # towns
    ("town", "乌镇", "Wuzhen Town", "CN", "CN-ZJ", 1, (HERITAGE, SMART)),
    ("town", "周庄镇", "Zhouzhuang Town", "CN", "CN-JS", 2, (HERITAGE,)),
    ("town", "同里镇", "Tongli Town", "CN", "CN-JS", 3, (HERITAGE,)),
    ("town", "黄龙溪镇", "Huanglongxi Town", "CN", "CN-SC", 3, (HERITAGE, CHENGYU)),
    ("town", "朱家角镇", "Zhujiajiao Town", "CN", "CN-SH", 2, (HERITAGE,)),
    # foreign partner cities
    ("foreign_city", "布鲁塞尔", "Brussels", "BE", "Brussels-Capital Region", 1, (EU_PAIR,)),
    ("foreign_city", "根特", "Ghent", "BE", "Flanders", 3, (EU_PAIR,)),
    ("foreign_city", "里昂", "Lyon", "FR", "Auvergne-Rhône-Alpes", 1, (EU_PAIR,)),
    ("foreign_city", "杜伊斯堡", "Duisburg", "DE", "North Rhine-Westphalia", 1, (EU_PAIR, BRI)),
    ("foreign_city", "汉堡", "Hamburg", "DE", "Hamburg", 2, (BRI,)),
    ("foreign_city", "米兰", "Milan", "IT", "Lombardy", 1, (EU_PAIR,)),
    ("foreign_city", "都灵", "Turin", "IT", "Piedmont", 3, (EU_PAIR,)),
    ("foreign_city", "鹿特丹", "Rotterdam", "NL", "South Holland", 2, (BRI,)),
    ("foreign_city", "巴塞罗那", "Barcelona", "ES", "Catalonia", 2, (EU_PAIR,)),
    ("foreign_city", "罗兹", "Łódź", "PL", "Łódź Voivodeship", 2, (BRI, EU_PAIR)),
    ("foreign_city", "布达佩斯", "Budapest", "HU", "", 3, (BRI,)),
    ("foreign_city", "波尔图", "Porto", "PT", "Norte", 3, (EU_PAIR,)),
    ("foreign_city", "比雷埃夫斯", "Piraeus", "GR", "Attica", 3, (BRI,)),
    # institutions
    ("institution", "中国城市和小城镇改革发展中心", "China Center for Urban Development", "CN", "CN-BJ", 1, ()),
    ("institution", "中国城市规划设计研究院", "China Academy of Urban Planning and Design", "CN", "CN-BJ", 1, ()),
    ("institution", "中国市长协会", "China Association of Mayors", "CN", "CN-BJ", 2, ()),
    ("institution", "清华大学中国新型城镇化研究院", "Tsinghua University Institute for China's New Urbanization", "CN", "CN-BJ", 2, (SMART,)),
    ("institution", "同济大学城市规划研究所", "Tongji University Urban Planning Institute", "CN", "CN-SH", 3, ()),
    ("institution", "欧洲城市联合会", "Eurocities", "BE", "Brussels-Capital Region", 2, (EU_PAIR,)),
    ("institution", "中国欧盟商会", "European Union Chamber of Commerce in China", "CN", "CN-BJ", 3, (EU_PAIR,)),
]

JOIN_DATES = {1: ("2016-06-18", "2016-11-25"), 2: ("2018-05-10", "2018-10-30"), 3: ("2021-04-22", "2021-12-03")}

SURNAMES = [("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
            ("赵", "Zhao"), ("黄", "Huang"), ("周", "Zhou"), ("吴", "Wu"), ("徐", "Xu"), ("孙", "Sun"),
            ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("林", "Lin"),
            ("罗", "Luo"), ("高", "Gao")]
GIVEN = [("伟", "Wei"), ("芳", "Fang"), ("敏", "Min"), ("静", "Jing"), ("强", "Qiang"), ("磊", "Lei"),
         ("军", "Jun"), ("洋", "Yang"), ("勇", "Yong"), ("艳", "Yan"), ("杰", "Jie"), ("涛", "Tao"),
         ("明", "Ming"), ("超", "Chao"), ("秀英", "Xiuying"), ("建华", "Jianhua"), ("志强", "Zhiqiang"),
         ("海燕", "Haiyan"), ("晓东", "Xiaodong"), ("丽娟", "Lijuan")]
EUROPEAN = {
    "BE": ["Sophie Claes", "Pieter Janssens", "Marie Dubois"],
    "FR": ["Claire Martin", "Julien Bernard", "Élodie Moreau"],
    "DE": ["Katrin Schmidt", "Jonas Becker", "Anna Hoffmann"],
    "IT": ["Giulia Rossi", "Marco Bianchi", "Francesca Romano"],
    "NL": ["Sanne de Vries", "Daan Bakker", "Lotte Visser"],
    "ES": ["Laura García", "Javier Martínez", "Marta Puig"],
    "PL": ["Agnieszka Kowalska", "Piotr Nowak", "Katarzyna Wiśniewska"],
    "HU": ["Eszter Nagy", "Gábor Kovács", "Zsófia Tóth"],
    "PT": ["Inês Silva", "João Santos", "Beatriz Costa"],
    "GR": ["Eleni Papadopoulou", "Nikos Georgiou", "Maria Dimitriou"],
}
PHONE_PREFIX = {"BE": "+32 2", "FR": "+33 4", "DE": "+49 203", "IT": "+39 02", "NL": "+31 10",
                "ES": "+34 93", "PL": "+48 42", "HU": "+36 1", "PT": "+351 22", "GR": "+30 21"}

# The Chinese titles of a Chinese unit's head and deputy, and the head's in English (so that a
# delegate's title reads "市长 / Mayor"), by kind.
HEAD_TITLES = {
    "prefecture_city": ("市长", "副市长", "Mayor"), "county_city": ("市长", "副市长", "Mayor"),
    "new_area": ("管委会主任", "管委会副主任", "Director, Administrative Committee"),
    "district": ("区长", "副区长", "District Mayor"), "county": ("县长", "副县长", "County Head"),
    "town": ("镇长", "副镇长", "Town Mayor"), "institution": ("主任", "副主任", "Director"),
}
# Units that get a liaison account (English names).
LIAISON_UNITS = ("Chengdu", "Luoyang", "Yiwu", "Liangjiang New Area", "Duisburg")

# --- delegates (registrations.py) ----------------------------------------------------------------
# (Chinese, English) titles of the other people in a Chinese delegation, by role.
DELEGATE_TITLES_CN = {
    "deputy": [("外事办主任", "Director, Foreign Affairs Office"), ("副市长", "Vice Mayor")],
    "member": [("发展和改革委员会副主任", "Deputy Director, Development and Reform Commission"),
               ("规划和自然资源局局长", "Director, Bureau of Planning and Natural Resources"),
               ("商务局副局长", "Deputy Director, Bureau of Commerce"),
               ("投资促进局局长", "Director, Investment Promotion Bureau"),
               ("住房和城乡建设局副局长", "Deputy Director, Housing and Urban-Rural Development Bureau")],
    "interpreter": [("外事办翻译", "Interpreter, Foreign Affairs Office")],
    "staff": [("市政府办公室秘书", "Secretary, Municipal Government Office")],
}
DELEGATE_TITLES_EU = {
    "head": ["Mayor"], "deputy": ["Deputy Mayor for International Relations"],
    "member": ["Head of International Relations", "Director of Urban Planning", "Economic Development Advisor"],
    "interpreter": ["Chinese interpreter"], "staff": ["Protocol Officer"],
}
# (given, family) names of European delegates, by country.
EUROPEAN_DELEGATES = {
    "BE": [("Lies", "Peeters"), ("Thomas", "Lambert"), ("Nathalie", "Wouters"), ("Kobe", "Maes")],
    "FR": [("Camille", "Lefebvre"), ("Antoine", "Girard"), ("Léa", "Fontaine"), ("Hugo", "Mercier")],
    "DE": [("Lukas", "Wagner"), ("Miriam", "Krüger"), ("Felix", "Neumann"), ("Sabine", "Vogel")],
    "IT": [("Luca", "Ferrari"), ("Chiara", "Esposito"), ("Davide", "Colombo"), ("Sara", "Ricci")],
    "NL": [("Joost", "Mulder"), ("Femke", "de Jong"), ("Ruben", "Smit"), ("Eva", "Dekker")],
    "ES": [("Pau", "Ferrer"), ("Núria", "Vidal"), ("Álvaro", "Ruiz"), ("Elena", "Soler")],
    "PL": [("Tomasz", "Wójcik"), ("Magdalena", "Lewandowska"), ("Paweł", "Kamiński"), ("Anna", "Zielińska")],
    "PT": [("Miguel", "Ferreira"), ("Rita", "Oliveira"), ("Tiago", "Pereira"), ("Sofia", "Almeida")],
}
# Chinese interpreters travelling with European delegations: (Chinese, family, given).
INTERPRETERS_EU = [("陈思雨", "Chen", "Siyu"), ("赵安娜", "Zhao", "Anna"), ("林佳", "Lin", "Jia")]
DIETARY_CN = ["无", "无", "无", "清真 / halal", "素食 / vegetarian", "不吃猪肉 / no pork", ""]
DIETARY_EU = ["", "", "vegetarian", "vegan", "gluten-free", "halal", "no pork"]
# Arrival and departure by the city of the event: (flight or train number, airport or station,
# local time).
BRU = "Brussels Airport (BRU)"
BRU_MIDI = "Bruxelles-Midi / Brussel-Zuid"
DUISBURG = "Duisburg Hbf"
ARRIVALS = {
    "Brussels": [("HU 491", BRU, "06:40"), ("CA 853", BRU, "07:05"), ("LH 1010", BRU, "12:25"),
                 ("AF 1020", BRU, "15:50"), ("KL 1725", BRU, "10:05"), ("TK 1937", BRU, "09:15")],
    "Duisburg": [("ICE 10", DUISBURG, "14:20"), ("ICE 122", DUISBURG, "16:45"),
                 ("EW 9583", "Düsseldorf Airport (DUS)", "11:30")],
}
ARRIVALS_EU = {"Brussels": [("THALYS 9425", BRU_MIDI, "09:48"), ("ICE 16", BRU_MIDI, "12:05"),
                            ("SN 3584", BRU, "08:55")]}
DEPARTURES = {
    "Brussels": [("HU 492", BRU, "13:40"), ("CA 854", BRU, "14:15"), ("LH 1003", BRU, "10:20"),
                 ("AF 1021", BRU, "07:10")],
    "Duisburg": [("ICE 123", DUISBURG, "17:30"), ("LH 720", "Frankfurt Airport (FRA)", "18:25")],
}
DEPARTURES_EU = {"Brussels": [("THALYS 9466", BRU_MIDI, "20:13"), ("ICE 19", BRU_MIDI, "19:25"),
                              ("SN 3589", BRU, "20:40")]}
DECLINE_REASONS = {
    "zh": ["市领导当周有重要公务安排，无法出席，感谢邀请。", "因预算限制，本年度暂不派团出访。"],
    "en": ["The mayor chairs the city council on those dates. We hope to join the next forum.",
           "Our delegation travels to another partner city that week."],
}


def slug(text: str, empty: str = "x") -> str:
    """`text` as lower-case ASCII words joined by "-" (for demo web and email addresses)."""
    text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L").replace("'", ""))
    return re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode().lower()).strip("-") or empty
