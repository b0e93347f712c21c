"""The words postings are written with: English skills and Traditional Chinese subject
words, each with the share of postings it appears in, falling with its rank as in natural
text (Zipf's law: share = TOP / rank ** EXPONENT), so `python` is in about 45 % of
postings and the words near the end of the list in about 0.1 %.

The skills are also the `skills` table (a posting's skill tags are the English words its
text uses). `COMMON_WORD`, `RARE_WORD` and `CHINESE_WORD` are the search words of
personas.targets(); bench/park/check.py measures their shares in the built database.
"""

from __future__ import annotations

import random
import re

# English skills, most used first. Share of postings: 0.45 / rank ** 1.3, so rank 1 is in
# 45 %, rank 10 in 2.2 %, rank 100 (lidar) in 0.11 %.
ENGLISH_TOP, ENGLISH_EXPONENT = 0.45, 1.3
ENGLISH_TERMS = """
python sql javascript excel java linux react c++ docker aws typescript git pytorch
tensorflow kubernetes matlab tableau go solidworks autocad figma pandas spark postgresql
|embedded c| ros opencv rust flutter swift kotlin r |power bi| azure gcp node.js django
flask |spring boot| scikit-learn nlp |computer vision| |pcb design| verilog fpga labview
simulink ansys comsol cad cfd gis blockchain solidity kafka redis mongodb graphql
terraform ci/cd hadoop airflow dbt snowflake unity |unreal engine| arduino |raspberry pi|
plc scada bim revit iot 5g |rf design| vhdl cuda llm langchain |hugging face| jax julia
haskell scala elixir bioinformatics crispr pcr |cell culture| hplc |mass spectrometry| gmp
|iso 13485| fda |clinical trials| |quantitative finance| |risk modelling| kyc aml lidar
slam |reinforcement learning| genomics spectroscopy photonics mems |battery modelling|
perovskite hydrogen |carbon accounting| |esg reporting| |life cycle assessment|
|digital twin| |edge computing| webassembly zig ocaml prolog fortran cobol
"""

# Traditional Chinese subject words, in postings that have Chinese text: 0.30 / rank ** 1.1
# of those (機械人, rank 12, in about 2 % of them; with the company names that hold it,
# in about 5 % of all postings).
CHINESE_TOP, CHINESE_EXPONENT = 0.30, 1.1
CHINESE_TERMS = """
數據分析 人工智能 軟件開發 團隊合作 雲端平台 金融科技 機器學習 產品設計 智慧城市 醫療器械
物聯網 機械人 電腦視覺 晶片設計 嵌入式系統 區塊鏈 網絡安全 自然語言處理 電池材料 生物科技
可持續發展 新材料 自動駕駛 語音識別 支付系統 數據庫 演算法 伺服器 半導體 基因組學 臨床試驗
碳中和 智能製造 無人機 量子計算 光子學 氫能源 數碼孿生 邊緣運算 微機電系統
"""

COMMON_WORD = "python"
RARE_WORD = "lidar"
CHINESE_WORD = "機械人"


def _terms(text: str) -> list[str]:
    """Words separated by white space; |two words| is one term."""
    return [group or word for group, word in re.findall(r"\|([^|]+)\||(\S+)", text)]


def _shares(terms: list[str], top: float, exponent: float) -> list[tuple[str, float]]:
    return [(term, top / rank**exponent) for rank, term in enumerate(terms, start=1)]


ENGLISH = _shares(_terms(ENGLISH_TERMS), ENGLISH_TOP, ENGLISH_EXPONENT)
CHINESE = _shares(CHINESE_TERMS.split(), CHINESE_TOP, CHINESE_EXPONENT)
SKILLS = [term for term, _share in ENGLISH]  # skills.id = position + 1


def pick(rng: random.Random, vocabulary: list[tuple[str, float]]) -> list[str]:
    """The words of one posting: each word independently, with its share."""
    return [term for term, share in vocabulary if rng.random() < share]


# --- the rest of a posting's words ------------------------------------------------------

# (English, Chinese) pairs: a posting in both languages uses the pair.
FIELDS = [
    ("Software", "軟件"),
    ("Data", "數據"),
    ("Hardware", "硬件"),
    ("Automation", "自動化"),
    ("Machine Learning", "機器學習"),
    ("Embedded Systems", "嵌入式系統"),
    ("Product", "產品"),
    ("Biomedical", "生物醫學"),
    ("Materials", "材料"),
    ("Quantitative", "量化"),
    ("Cloud", "雲端"),
    ("Firmware", "韌體"),
    ("Mechanical", "機械"),
    ("Electronics", "電子"),
    ("Research", "研究"),
    ("UX", "用戶體驗"),
    ("Business", "商業"),
    ("Sustainability", "可持續發展"),
]
INTERN_ROLES = [("Intern", "實習生"), ("Engineering Intern", "工程實習生"), ("Trainee", "見習生")]
ROLES = [
    ("Engineer", "工程師"),
    ("Analyst", "分析員"),
    ("Scientist", "科學家"),
    ("Developer", "開發員"),
    ("Designer", "設計師"),
    ("Research Assistant", "研究助理"),
]
TEAMS = [
    ("platform", "平台"),
    ("research", "研發"),
    ("product", "產品"),
    ("operations", "營運"),
    ("data", "數據"),
    ("hardware", "硬件"),
    ("clinical", "臨床"),
    ("payments", "支付"),
]
GOALS = [
    ("build the next version of our platform", "開發我們平台的下一個版本"),
    ("test prototypes with hospitals in Hong Kong", "與本港醫院測試原型"),
    ("turn sensor data into decisions", "將感應器數據轉化為決策"),
    ("ship features to thousands of customers", "為數以千計的客戶推出新功能"),
    ("automate the checks our engineers run by hand", "將工程師的手動檢查自動化"),
    ("design experiments and report what they show", "設計實驗並匯報結果"),
    ("bring a new product from the lab to the market", "把新產品由實驗室帶到市場"),
    ("make our warehouse robots safer and faster", "令倉庫機器更安全、更快捷"),
]
EN_OPENINGS = [
    "Join our {team} team and help us {goal}.",
    "We are a growing start-up in the park, and our {team} team needs you to {goal}.",
    "As part of a small {team} team you will {goal}, with a mentor beside you.",
]
EN_SKILL_SENTENCES = [
    "You will work with {skill} every day.",
    "Most of our stack is {skill}; you will learn it quickly with us.",
    "Experience with {skill} is a plus, not a must.",
    "You will use {skill} to analyse results and share them with the team.",
]
EN_CLOSINGS = [
    "You will present your work to the founders at the end of the placement.",
    "We offer flexible hours, a monthly allowance and real responsibility.",
    "Students from every university in Hong Kong are welcome to apply.",
]
ZH_OPENINGS = [
    "加入我們的{team}團隊，一同{goal}。",
    "我們是科學園內發展迅速的初創公司，{team}團隊正在招募同學{goal}。",
]
ZH_SKILL_SENTENCES = [
    "你將參與{skill}相關的項目。",
    "我們歡迎對{skill}有熱誠的同學申請。",
    "熟悉{skill}者優先。",
]
ZH_CLOSINGS = ["我們提供彈性工作時間及每月津貼。", "實習期間會有導師全程指導。"]
EN_REQUIREMENTS = [
    "Studying engineering, computer science or a related subject",
    "Good written and spoken English",
    "Curious, careful and happy to ask questions",
    "Able to work in the park at least three days a week",
]
ZH_REQUIREMENTS = ["良好的中英文溝通能力", "主動積極，具團隊精神", "修讀工程、電腦科學或相關學科"]
