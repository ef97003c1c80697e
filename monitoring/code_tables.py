"""Initial values of the editable code tables (DOMAIN.md §2.3, §2.4.2, §6.3, §10 Q-3)."""

INITIAL = {
    "risk_type": (
        "因病",
        "因学",
        "因残",
        "因自然灾害",
        "因意外事故",
        "因产业项目失败",
        "因务工就业不稳",
        "缺劳动力",
        "因安全住房",
        "因安全饮水",
        "其他",
    ),
    "disaster_subitem": ("洪涝", "干旱", "地质灾害", "风雹", "低温冷冻和雪灾", "地震", "其他"),
    "dropout_reason": ("因病", "因残", "因贫", "厌学", "其他"),
    "employment_channel": ("政府组织", "企业招聘", "亲友介绍", "自主就业", "其他"),
    "welfare_job_type": ("护林员", "护路员", "保洁员", "护水员", "护理员", "村务管理员", "其他"),
    "poverty_cause": (
        "因病",
        "因残",
        "因学",
        "因灾",
        "缺土地",
        "缺水",
        "缺技术",
        "缺劳力",
        "缺资金",
        "交通条件落后",
        "自身发展动力不足",
        "因婚",
        "其他",
    ),
}

# Risk-type values the rules refer to by name (MON-RISK, MON-INC-4).
RISK_ILLNESS = "因病"
RISK_DISABILITY = "因残"
RISK_WATER = "因安全饮水"
RISK_EMPLOYMENT = "因务工就业不稳"
RISK_DISASTER = "因自然灾害"


def load_code_tables(code_item_model) -> None:
    for table, values in INITIAL.items():
        for order, value in enumerate(values):
            code_item_model.objects.get_or_create(
                table=table, value=value, defaults={"sort_order": order}
            )
