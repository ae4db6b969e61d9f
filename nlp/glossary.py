"""Codes to the Chinese words reviewers read (the analogue of ``spacy.explain``).

Every vocabulary of ``nlp.doc`` (and the service's job states) has its words here and nowhere else: the web pages,
the Excel, CSV and Word outputs look codes up in these tables.
"""

from __future__ import annotations

from collections.abc import Mapping

# fmt: off
ERROR_MESSAGES = {
    "EMPTY_DOCUMENT":   "文件为空，或清理后没有可审读的正文。",
    "ENCRYPTED_FILE":   "文件已加密或设有打开密码，请提供未加密的版本。",
    "IMAGE_ONLY_PDF":   "该PDF没有文字层（可能是扫描件），需要先进行OCR文字识别，或提供Word/文字版PDF。",
    "CORRUPT_FILE":     "文件已损坏或不完整，无法读取，请重新导出后上传。",
    "UNSUPPORTED_TYPE": "不支持的文件类型（按文件内容判断），请提供PDF、DOCX、TXT或网页HTML文件。",
    "TOO_LARGE":        "文件超过大小上限，请拆分或压缩后再上传。",
    "ARCHIVE_BOMB":     "文件解压后体积异常巨大，已拒绝处理。",
    "NOT_CHINESE":      "文件内容不是中文，本工具只审读中文报告。",
    "GARBLED_TEXT":     "文件中的文字无法正确解码（字体缺少编码映射或出现乱码），请提供Word版或重新导出的PDF。",
    "CONFIG_ERROR":     "配置有误。",
    "MODEL_BUNDLE_ERROR": "模型文件缺失或损坏，请重新训练或安装模型。",
    "INVALID_TRANSITION": "整改状态不能这样变更，请按“未启动→整改中→已完成待验收→已销号”的顺序办理。",
    "DOCUMENT_TIMEOUT": "文件处理超时，已中止。请检查文件是否异常（如页数极多），或拆分后再上传。",
    "UNSAFE_ARCHIVE":   "压缩包中含有不安全的路径（如“../”或绝对路径），已拒绝处理。",
    "UNAUTHORIZED":     "请先登录：缺少有效的访问令牌。",
    "FORBIDDEN":        "无权访问：报送单位账号只能查看本单位的报告。",
    "NOT_FOUND":        "未找到该对象。",
    "METHOD_NOT_ALLOWED": "该地址不支持这种请求方式（可用的方式见响应头 Allow）。",
    "ALREADY_SUBMITTED": "相同的文件此前已经报送，不能重复报送。如需更正，请修改后重新上传，或联系审核员。",
    "VALIDATION_ERROR": "请求参数有误。",
    "ANALYZER_FAILED":  "分析进程意外退出，请稍后重试。",
    "INTERNAL_ERROR":   "服务内部错误，请联系管理员。",
    "NO_LETTER":        "该报告预审结论为“通过”，无需发函。",
    "UNIT_REQUIRED":    "尚未确定该报告的报送单位，不能生成函件。请先在报告中填写报送单位，再生成或编辑函件。",
    "FILE_MISSING":     "服务读不到该文件的内容：多台服务器未共用同一文件存储，请管理员检查后重新提交。",
    "INVALID_PREVIOUS_ROUND": "上一轮批次无效：须为另一个已有的批次，且不能与本批次互为上一轮。",
    "STORE_NOT_SHARED": "本服务读不到其他实例存放的文件：数据目录未共享（或改用数据库存放文件）。",
}

REASONS = {  # verdict reason codes (``nlp.review.reasons``), as a reviewer names them
    "NO_PROBLEMS": "未查摆问题", "NEAR_DUPLICATE": "照搬照抄", "LOW_PROBLEM_SHARE": "讲成绩多、讲问题少",
    "VAGUE_PROBLEMS": "问题表述空泛", "NO_CAUSES": "缺少原因分析", "OBJECTIVE_CAUSES_ONLY": "原因只讲客观",
    "PROBLEMS_WITHOUT_MEASURES": "问题缺少整改措施", "MISSING_REQUIRED_TOPIC": "缺少必备内容",
    "INDICATOR_ALERT": "指标超预警线未查摆", "CROSS_SOURCE_CONTRADICTION": "与谈话反映不符",
    "READS_AS_PUBLICITY": "述法写成普法总结", "NO_PERSONAL_DUTY": "未体现本人履职", "NOT_A_REPORT": "非审读对象",
}

SECTION_ROLES = {
    "achievements": "工作成效", "problems": "问题不足", "causes": "原因分析", "measures": "整改措施", "other": "其他",
}

LABELS = {
    "achievement": "成绩", "problem": "问题", "cause": "原因", "measure": "措施", "other": "其他",
}

DECISIONS = {"pass": "通过", "revise": "修改（发修改建议函）", "return": "退回重写", "not_applicable": "不适用（非审读对象）"}
DECISIONS_SHORT = {"pass": "通过", "revise": "修改", "return": "退回", "not_applicable": "不适用"}  # tables, figures
DECISIONS_PAGE = {"pass": "预审通过", "revise": "需修改：发修改建议函", "return": "退回重写",
                  "not_applicable": "非审读对象，不作结论"}  # the web page

KINDS = {
    "shufa_report": "述法报告", "annual_report": "法治政府建设年度报告", "self_report": "自查报告",
    "rectification_report": "整改情况报告", "work_report": "工作报告", "feedback": "督察反馈意见", "news": "新闻报道",
    "transcript": "谈话记录", "other": "其他文件",
}

EXTRA_DOMAINS = {  # domains beside the taxonomy's 13: problems of 政府工作报告 that are not about rule of law
    "general_governance": "一般治理",
}
VISIBILITY = {"explicit": "显性", "latent": "隐性"}
LATENT_BASIS = {"hedged": "表述弱化", "indicator": "指标预警", "omission": "必备内容缺失", "cross_source": "谈话反映"}
SCOPE = {"common": "共性", "specific": "个性"}
ITEM_SOURCES = {  # where a checklist item comes from
    "self_report": "自查报告", "interview": "谈话", "feedback": "督察反馈", "indicator": "指标预警", "omission": "必备内容缺失",
}
STATUSES = {  # rectification (整改) states of a checklist item
    "not_started": "未启动", "in_progress": "整改中", "for_acceptance": "已完成待验收", "closed": "已销号",
    "reopened": "退回重改",
}
FOLLOWUPS = {"consolidated": "巩固", "rebounded": "反弹", "sham": "虚假整改"}  # 回头看 results
JOB_STATUSES = {"queued": "排队中", "running": "处理中", "done": "已完成", "failed": "失败"}  # round jobs, their files
DISMISS_REASONS = ("非问题", "重复", "表述不当")  # offered for dismissing an issue (the first: not a problem); other text too
LETTERS = {"revise": "修改建议函", "return": "退回重写通知"}  # the letter a decision sends
RECURRING = "屡改屡犯"  # a problem its unit already reported in an earlier round (``Issue.recurring``)
RECURRING_MARK = "屡改屡犯：{round}已查摆“{text}”"  # a checklist cell: the earlier round and its wording there
EARLIER_ROUND = "上一轮"  # an earlier round without a name
RECURRING_UNITS = "{n}个单位屡改屡犯"  # a common problem some of whose units already reported it
CIRCULAR_SECTIONS = ("一、共性问题", "二、个性问题")  # the round read as a 督察 circular (``nlp.report.circular``)
ON_PAGE = "（第{page}页）"  # after a quote
CORRECTION_TARGETS = {  # what a reviewer did (``nlp.feedback.Target``), as the 更正记录 says it
    "sentence": "更正句子角色", "issue": "更正问题", "added_issue": "补充问题", "verdict": "改判预审结论",
    "document": "更正报告信息",
}
VERDICT_WITHDRAWN = "撤销改判"  # a verdict correction with ``decision: null``: the override withdrawn
MACHINE_DECISION = "机器预审结论"  # what a withdrawn override leaves: the decision computed over the corrections
CORRECTION_FIELDS = {  # the fields of a correction's before / after
    "unit": "报送单位", "kind": "类型", "year": "年度", "label": "角色", "text": "表述", "domain": "领域",
    "visibility": "显性/隐性", "scope": "共性/个性", "problem_type": "问题类型", "group": "问题组", "dismissed": "排除",
    "reason": "理由", "decision": "结论",
}
DISMISSED = {True: "已排除", False: "未排除（恢复）"}
# fmt: on


def reason_name(code: str) -> str:
    """The reviewer's name for a verdict reason code (``REASONS``); a code not listed there reads as 预审意见, never
    as the code itself."""
    return REASONS.get(code, "预审意见")


def error_message(code: str) -> str:
    """The reviewer-facing Chinese sentence for an error code."""
    return ERROR_MESSAGES.get(code, "处理文件时出错。")


def code_for(words: Mapping[str, str], value: object) -> object:
    """The code whose Chinese words are ``value``; anything else comes back unchanged.

    For input that may still carry the Chinese words where a code is expected (API clients of the release before
    the codes): ``code_for(STATUSES, "整改中") == "in_progress"``, ``code_for(STATUSES, "closed") == "closed"``.
    """
    if isinstance(value, str):
        for code, text in words.items():
            if text == value:
                return code
    return value

# the notebooks' tables (nlp/explore): column → header a reviewer reads
TABLE_HEADERS = {
    "file": "文件", "unit": "单位", "kind": "文件类型", "year": "年度", "decision": "预审结论",
    "problem_share": "问题占比", "problems": "问题数", "with_measure": "有措施的问题数", "reasons": "退改理由",
    "text": "问题", "domain_name": "问题领域",
    "visibility": "显性/隐性", "latent_basis": "隐性依据", "scope": "共性/个性", "has_measure": "有对应措施",
    "name": "指标", "value": "数值", "measure": "计量单位", "alert": "预警", "title": "共性问题", "units": "涉及单位",
    "issues": "问题条数", "message": "原因", "similarity": "相似度", "单位数": "单位数",
}
