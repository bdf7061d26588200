"""The 34 provincial-level units in force since 1 July 2025 (Resolution 202/2025/QH15).

The one place the code keeps them: forms, filters, facets and reports read this list.
"""

PROVINCES: list[tuple[str, str]] = [
    ("ha-noi", "Thành phố Hà Nội"),
    ("hue", "Thành phố Huế"),
    ("hai-phong", "Thành phố Hải Phòng"),
    ("da-nang", "Thành phố Đà Nẵng"),
    ("ho-chi-minh", "Thành phố Hồ Chí Minh"),
    ("can-tho", "Thành phố Cần Thơ"),
    ("an-giang", "Tỉnh An Giang"),
    ("bac-ninh", "Tỉnh Bắc Ninh"),
    ("ca-mau", "Tỉnh Cà Mau"),
    ("cao-bang", "Tỉnh Cao Bằng"),
    ("dak-lak", "Tỉnh Đắk Lắk"),
    ("dien-bien", "Tỉnh Điện Biên"),
    ("dong-nai", "Tỉnh Đồng Nai"),
    ("dong-thap", "Tỉnh Đồng Tháp"),
    ("gia-lai", "Tỉnh Gia Lai"),
    ("ha-tinh", "Tỉnh Hà Tĩnh"),
    ("hung-yen", "Tỉnh Hưng Yên"),
    ("khanh-hoa", "Tỉnh Khánh Hòa"),
    ("lai-chau", "Tỉnh Lai Châu"),
    ("lam-dong", "Tỉnh Lâm Đồng"),
    ("lang-son", "Tỉnh Lạng Sơn"),
    ("lao-cai", "Tỉnh Lào Cai"),
    ("nghe-an", "Tỉnh Nghệ An"),
    ("ninh-binh", "Tỉnh Ninh Bình"),
    ("phu-tho", "Tỉnh Phú Thọ"),
    ("quang-ngai", "Tỉnh Quảng Ngãi"),
    ("quang-ninh", "Tỉnh Quảng Ninh"),
    ("quang-tri", "Tỉnh Quảng Trị"),
    ("son-la", "Tỉnh Sơn La"),
    ("tay-ninh", "Tỉnh Tây Ninh"),
    ("thai-nguyen", "Tỉnh Thái Nguyên"),
    ("thanh-hoa", "Tỉnh Thanh Hóa"),
    ("tuyen-quang", "Tỉnh Tuyên Quang"),
    ("vinh-long", "Tỉnh Vĩnh Long"),
]

PROVINCE_NAMES = dict(PROVINCES)
assert len(PROVINCES) == 34
