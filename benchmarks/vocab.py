"""Word lists for the synthetic digest generator (benchmarks/generate.py).

Real-looking technical vocabulary, grouped by field so that papers of one
category share their topic words (which keeps search benchmarks honest:
some words are everywhere, some are rare, some belong to one field).
"""

from __future__ import annotations

# Terms used by every field (method and evaluation language).
GENERAL = """
model method framework approach analysis performance results data learning
training evaluation benchmark baseline dataset accuracy efficiency robustness
generalization optimization algorithm architecture representation structure
theory experiments simulation estimation inference prediction regression
classification distribution sampling variance bias error bound convergence
complexity scalability stability sensitivity uncertainty calibration noise
signal system network dynamics parameters constraints objective loss function
gradient iteration approximation decomposition projection embedding kernel
matrix tensor vector space manifold geometry topology symmetry invariance
equivariance regularization sparsity low-rank spectrum eigenvalue operator
transform feature pipeline module component mechanism strategy policy reward
agent environment interaction feedback control observation measurement
protocol metric score threshold ablation study survey comparison trade-off
scaling law capacity memory latency throughput hardware deployment
inference-time fine-tuning pretraining adaptation transfer domain shift
out-of-distribution anomaly detection segmentation retrieval generation
reconstruction compression quantization pruning distillation
interpretability explainability fairness privacy security verification
correctness guarantee proof lemma theorem conjecture criterion condition
regime limit asymptotic nonlinear linear stochastic deterministic discrete
continuous hierarchical multiscale adaptive efficient scalable unified novel
principled empirical theoretical numerical analytical closed-form
""".split()

FIELDS: dict[str, list[str]] = {
    "ml": """
transformer attention diffusion autoencoder variational Bayesian posterior
prior likelihood ELBO contrastive self-supervised semi-supervised
reinforcement bandit regret Q-learning actor-critic PPO GRPO offline
off-policy on-policy curriculum meta-learning continual catastrophic
forgetting federated client aggregation heterogeneity graph GNN message-passing
node link hypergraph mixture-of-experts routing sparse-attention
state-space Mamba recurrent LSTM convolution residual normalization dropout
overparameterization double-descent grokking neural-tangent lottery-ticket
hyperparameter Adam SGD momentum learning-rate warmup weight-decay
minibatch backpropagation Hessian curvature sharpness flatness
generative adversarial GAN normalizing-flow score-matching flow-matching
denoising energy-based contrastive-divergence tabular time-series forecasting
imputation causal counterfactual intervention confounder treatment-effect
active-learning label-noise weak-supervision conformal Gaussian-process
kernel-ridge random-features PAC-Bayes Rademacher VC-dimension
""".split(),
    "cv": """
image video pixel patch ViT CNN backbone detector YOLO bounding-box
segmentation instance panoptic semantic depth stereo optical-flow pose
keypoint tracking re-identification point-cloud LiDAR voxel mesh NeRF
Gaussian-splatting radiance-field rendering texture material SVBRDF
illumination shading super-resolution deblurring denoising inpainting
editing text-to-image text-to-video layout captioning grounding
open-vocabulary zero-shot few-shot CLIP vision-language multimodal
occlusion viewpoint camera calibration SLAM odometry remote-sensing
satellite hyperspectral medical-imaging MRI CT ultrasound histopathology
lesion tumor retina face expression gesture action-recognition
anomaly crowd counting scene-graph affordance egocentric 3D-reconstruction
""".split(),
    "nlp": """
language LLM token tokenizer prompt prompting in-context chain-of-thought
reasoning instruction-tuning alignment RLHF DPO preference reward-model
hallucination factuality retrieval-augmented RAG knowledge-graph
question-answering summarization translation dialogue conversational
sentiment entity relation extraction parsing syntax semantics morphology
multilingual low-resource cross-lingual code-switching speech ASR TTS
benchmark leaderboard evaluation-suite judge annotator agreement corpus
pretraining-corpus decoding beam-search speculative-decoding KV-cache
long-context context-window positional-encoding RoPE tool-use agentic
planner verifier refiner self-consistency jailbreak red-teaming safety
toxicity bias-mitigation watermark detection authorship readability
clinical legal financial educational misinformation stance argument
""".split(),
    "systems": """
distributed parallel scheduling scheduler cluster GPU TPU accelerator
kernel-fusion compiler runtime memory-hierarchy cache bandwidth interconnect
RDMA NVLink pipeline-parallelism tensor-parallelism data-parallelism
sharding checkpointing fault-tolerance straggler elasticity serverless
microservice container Kubernetes orchestration workload trace
energy-efficiency power carbon datacenter edge-computing IoT offloading
consensus Byzantine replication consistency transaction database query
index storage key-value SSD file-system compression-ratio deduplication
stream-processing batch throughput tail-latency SLO autoscaling
load-balancing network-topology congestion routing-protocol blockchain
""".split(),
    "hep": """
quark gluon hadron meson baryon lepton neutrino photon boson Higgs
electroweak QCD lattice perturbative nonperturbative renormalization
running-coupling beta-function anomaly supersymmetry superconformal
string-theory brane compactification Calabi-Yau moduli swampland
holography AdS/CFT conformal-bootstrap OPE correlator amplitude
scattering cross-section luminosity collider LHC CMS ATLAS jet
dark-matter axion ALP inflation cosmological-constant vacuum
instanton soliton monopole gauge-theory Yang-Mills Chern-Simons
effective-field-theory Wilson-coefficient loop integral Feynman
dispersion unitarity causality black-hole horizon entropy Hawking
wormhole de-Sitter gravitational-wave spacetime curvature geodesic
Einstein-equations Kerr Schwarzschild singularity quasinormal-mode
""".split(),
    "math": """
variety scheme sheaf cohomology moduli-space stack curve surface divisor
Picard Chow motive Hodge Galois field ring module ideal algebra
representation Lie-algebra quiver category functor homotopy derived
spectral-sequence fibration bundle connection curvature Ricci flow
Riemannian symplectic Kähler toric tropical birational rational-point
elliptic-curve modular-form L-function prime conjecture inequality
estimate Sobolev elliptic parabolic hyperbolic PDE well-posedness
regularity blow-up weak-solution variational-principle Hamiltonian
integrable Lax-pair Painlevé random-matrix eigenvalue-statistics
operator-algebra von-Neumann C*-algebra quantum-group polynomial
combinatorics graph-coloring partition permutation lattice-path
""".split(),
    "physics": """
photonic waveguide metasurface laser cavity resonator plasmonic
nonlinear-optics frequency-comb soliton-pulse interferometer polarization
birefringence fiber dispersion-relation refractive-index metamaterial
quantum-optics entanglement squeezing qubit decoherence superconducting
topological-insulator band-structure phonon magnon spintronics
superconductivity phase-transition critical-exponent Ising spin-glass
turbulence fluid viscosity plasma tokamak magnetohydrodynamics
thermoelectric semiconductor heterostructure graphene moiré exciton
""".split(),
    "bio": """
neuron spiking synapse cortex hippocampus dendrite plasticity connectome
fMRI EEG MEG electrophysiology calcium-imaging place-cell grid-cell
decision-making working-memory attention-network reward-prediction
dopamine motor-control sensorimotor perception visual-cortex auditory
protein folding gene expression genome sequencing single-cell RNA-seq
transcriptomics epidemiology infection vaccine drug-discovery molecule
binding-affinity docking enzyme pathway cell-type population-dynamics
""".split(),
    "astro": """
galaxy cluster redshift cosmic-microwave-background CMB dark-energy
Hubble-tension baryon-acoustic-oscillation weak-lensing strong-lensing
supernova quasar AGN accretion-disk exoplanet transit stellar-population
star-formation interstellar-medium neutron-star pulsar magnetar
gamma-ray-burst fast-radio-burst survey photometry spectroscopy
large-scale-structure halo N-body power-spectrum reionization
""".split(),
    "signal": """
beamforming MIMO OFDM channel-estimation massive-MIMO mmWave THz
radar sonar localization array-processing DOA compressive-sensing
sparse-recovery filter-bank wavelet Fourier spectrogram adaptive-filter
Kalman-filter particle-filter detection-theory modulation coding
equalization synchronization interference spectrum-sensing
reconfigurable-intelligent-surface ISAC satellite-communication
""".split(),
    "stats": """
estimator consistency asymptotic-normality confidence-interval
hypothesis-test p-value false-discovery-rate bootstrap permutation-test
nonparametric semiparametric Bayesian-nonparametric MCMC Gibbs
Hamiltonian-Monte-Carlo variational-inference empirical-Bayes shrinkage
high-dimensional lasso ridge covariance precision-matrix factor-model
mixed-effects survival censoring longitudinal missing-data propensity
instrumental-variable identification minimax optimal-transport Wasserstein
""".split(),
}

# arXiv category -> (field, weight in a day's crawl). Display order is this order.
CATEGORIES: dict[str, tuple[str, float]] = {
    "cs.LG": ("ml", 14.0),
    "cs.CV": ("cv", 12.0),
    "cs.CL": ("nlp", 10.0),
    "cs.AI": ("nlp", 7.0),
    "cs.DC": ("systems", 2.5),
    "cs.DB": ("systems", 1.0),
    "stat.ML": ("stats", 3.0),
    "hep-th": ("hep", 4.0),
    "hep-ph": ("hep", 4.0),
    "gr-qc": ("hep", 2.5),
    "math-ph": ("math", 1.5),
    "math.AG": ("math", 1.5),
    "physics.optics": ("physics", 2.0),
    "cond-mat.str-el": ("physics", 1.5),
    "q-bio.NC": ("bio", 1.2),
    "eess.SP": ("signal", 2.0),
    "astro-ph.CO": ("astro", 2.0),
}

# Likely cross-lists per field.
CROSS_LISTS: dict[str, list[str]] = {
    "ml": ["cs.AI", "stat.ML", "cs.CV", "cs.CL", "cs.DC", "math.OC"],
    "cv": ["cs.LG", "cs.AI", "eess.IV", "cs.GR", "cs.RO"],
    "nlp": ["cs.AI", "cs.LG", "cs.IR", "cs.HC", "cs.CY"],
    "systems": ["cs.LG", "cs.PF", "cs.NI", "cs.OS", "cs.AR"],
    "hep": ["hep-th", "hep-ph", "gr-qc", "hep-ex", "hep-lat", "astro-ph.CO", "nucl-th"],
    "math": ["math-ph", "math.MP", "math.AG", "math.RT", "math.NT", "math.DG"],
    "physics": ["quant-ph", "cond-mat.mes-hall", "physics.app-ph", "cond-mat.mtrl-sci"],
    "bio": ["cs.NE", "q-bio.QM", "cs.LG", "physics.bio-ph"],
    "astro": ["astro-ph.GA", "gr-qc", "hep-ph", "astro-ph.IM"],
    "signal": ["cs.IT", "math.IT", "eess.SY", "cs.LG"],
    "stats": ["stat.ME", "math.ST", "stat.TH", "cs.LG", "stat.CO"],
}

FUNCTION_WORDS = """
the of and to in a for we that with on is by this as are from which an
our these can its be both while into than at under across between without
""".split()

OPENERS = [
    "We propose", "We introduce", "In this paper, we study", "This work presents",
    "We present", "We investigate", "Recent work on", "Existing approaches to",
    "Motivated by", "To address this gap, we develop", "Our analysis shows that",
    "Experiments on", "We demonstrate that", "Building on", "We show that",
    "Despite progress in", "A central challenge in", "We derive", "We prove that",
    "Extensive experiments on", "Furthermore,", "In addition,", "Finally,",
    "Compared with", "Unlike prior work,", "Our results suggest that",
]

EN_AI_OPENERS = {
    "tldr": ["This paper proposes", "The authors introduce", "This work presents",
             "This paper investigates", "A new", "The paper develops"],
    "motivation": ["To address", "Existing methods for", "Current approaches to",
                   "There is a need for", "Understanding", "Prior work on"],
    "method": ["Proposes", "Introduces", "Develops", "Formulates", "Combines",
               "Uses", "Analyzes", "Derives"],
    "result": ["Achieves", "Shows", "Outperforms", "Demonstrates", "Reduces",
               "Improves", "Identifies"],
    "conclusion": ["The proposed", "This work shows that", "Results indicate that",
                   "The framework", "The study establishes that", "Overall,"],
}

LATEX_BITS = [
    r"$\alpha$", r"$\beta$-", r"$\mathcal{O}(n \log n)$", r"$\frac{a}{b}$",
    r"$\ell_1$", r"$\mathbb{R}^d$", r"$\epsilon$", r"$k$", r"$N=4$",
    r"${\cal N}=2$", r"$\sqrt{s}=13$ TeV", r"$\Lambda$CDM", r"$SU(N)$",
    r"$L^2$", r"$\mathbb{F}_{p^m}[u]$", r"$T\bar{T}$", r"$p$-adic",
]

# Title shapes that stress a parser (brackets, parentheses, LaTeX).
TITLE_PREFIXES = [
    "[Emerging Ideas] ", "[Re] ", "[Short Paper] ", "[Position] ", "[Extended Abstract] ",
]
TITLE_ODDITIES = [
    "Dialog[ue]s", "Let [VOID] Handle Padding", "[EOS] Tokens", "Z2[u,v](u2(1+u),v2(1+v2))",
    r"$\alpha$-Divergences", r"$\frac{\mathbb{F}_{p^m}[u]}{\langle u^t \rangle}$",
    r"$\beta$-VAE", "(Un)Certainty", "[MASK]ed Modeling", r"$\mathcal{N}=2$",
    "Chain[s] of Thought", r"$O(\sqrt{T})$ Regret", "f(x) = [x]",
]

NAME_PREFIXES = """
Nav Hyper Omni Meta Graph Flow Diff Vision Token Sparse Quant Lumi Astro
Neuro Geo Chrono Cosmo Proto Sym Tensor Prism Echo Nova Atlas Orbit Pulse
Fusion Align Reason Mem Spec Cal Deep Fast Tiny Mega Poly Uni Dyna Morph
""".split()
NAME_SUFFIXES = """
Former Net GPT Diff Bench LM Mamba Fusion Flow Gen RL Seg Track Mind Agent
Coder Vec Nav Scope Lens Guard Prompt Mix Loop Graph Cast Sense
""".split()

# Chinese technical words: shared ones and per field (same keys as FIELDS).
CHINESE: dict[str, list[str]] = {
    "general": """
模型 方法 框架 数据集 训练 推理 实验 结果 性能 效率 鲁棒性 泛化 优化
算法 架构 表示 结构 理论 仿真 估计 预测 回归 分类 分布 采样 方差
偏差 误差 收敛 复杂度 可扩展性 稳定性 不确定性 校准 噪声 信号 系统
网络 动力学 参数 约束 目标函数 损失函数 梯度 迭代 近似 分解 投影 嵌入
核函数 矩阵 张量 向量 空间 流形 几何 拓扑 对称性 不变性 等变性 正则化
稀疏性 低秩 谱 特征值 算子 变换 特征 流水线 模块 组件 机制 策略 奖励
智能体 环境 交互 反馈 控制 观测 测量 协议 指标 阈值 消融实验 综述
对比 权衡 缩放定律 容量 内存 延迟 吞吐量 硬件 部署 微调 预训练 适应
迁移 域偏移 分布外 异常检测 分割 检索 生成 重建 压缩 量化 剪枝 蒸馏
可解释性 公平性 隐私 安全性 验证 正确性 保证 证明 引理 定理 猜想 判据
条件 渐近 非线性 线性 随机 确定性 离散 连续 层次化 多尺度 自适应 高效
统一 新颖 经验 数值 解析 闭式解
""".split(),
    "ml": """
注意力机制 扩散模型 自编码器 变分推断 贝叶斯 后验 先验 似然 对比学习
自监督 半监督 强化学习 老虎机 遗憾界 离线 课程学习 元学习 持续学习
灾难性遗忘 联邦学习 客户端 聚合 异质性 图神经网络 消息传递 节点 超图
混合专家 路由 状态空间模型 循环网络 卷积 残差 归一化 过参数化 超参数
学习率 权重衰减 反向传播 曲率 平坦性 生成对抗网络 归一化流 分数匹配
流匹配 去噪 能量模型 表格数据 时间序列 插补 因果 反事实 干预 混杂因素
主动学习 标签噪声 弱监督 共形预测 高斯过程
""".split(),
    "cv": """
图像 视频 像素 图块 视觉变换器 主干网络 检测器 边界框 实例分割 全景分割
语义分割 深度估计 立体 光流 姿态 关键点 跟踪 重识别 点云 激光雷达 体素
网格 神经辐射场 高斯泼溅 渲染 纹理 材质 光照 超分辨率 去模糊 图像修复
编辑 文生图 文生视频 布局 图像描述 定位 开放词汇 零样本 少样本 视觉语言
多模态 遮挡 视角 相机标定 遥感 卫星 高光谱 医学影像 磁共振 病理 病灶
肿瘤 视网膜 人脸 表情 手势 动作识别 人群计数 场景图
""".split(),
    "nlp": """
语言模型 大语言模型 词元 分词器 提示 上下文学习 思维链 推理能力 指令微调
对齐 人类反馈 偏好优化 奖励模型 幻觉 事实性 检索增强 知识图谱 问答 摘要
翻译 对话 情感分析 实体 关系抽取 句法 语义 多语言 低资源 跨语言
语音识别 语音合成 基准 评测 标注 语料库 解码 束搜索 推测解码 键值缓存
长上下文 位置编码 工具调用 规划 验证器 自洽性 越狱 红队测试 毒性 水印
临床 法律 金融 教育 虚假信息 立场 论证
""".split(),
    "systems": """
分布式 并行 调度 集群 加速器 编译器 运行时 缓存 带宽 互连 流水线并行
张量并行 数据并行 分片 检查点 容错 弹性 无服务器 微服务 容器 编排 负载
能效 功耗 数据中心 边缘计算 物联网 卸载 共识 拜占庭 复制 一致性 事务
数据库 查询 索引 存储 键值存储 文件系统 去重 流处理 尾延迟 自动扩缩容
负载均衡 拥塞控制 区块链
""".split(),
    "hep": """
夸克 胶子 强子 介子 重子 轻子 中微子 光子 玻色子 希格斯 电弱
量子色动力学 格点 微扰 非微扰 重整化 跑动耦合 反常 超对称 超共形 弦理论
膜 紧致化 模空间 沼泽地 全息 共形自举 关联函数 散射振幅 截面 亮度
对撞机 喷注 暗物质 轴子 暴胀 宇宙学常数 真空 瞬子 孤子 磁单极 规范理论
杨米尔斯 有效场论 圈积分 费曼积分 色散关系 幺正性 因果性 黑洞 视界 熵
霍金辐射 虫洞 德西特 引力波 时空 测地线 爱因斯坦方程 奇点 准正则模
""".split(),
    "math": """
代数簇 概形 层 上同调 除子 伽罗瓦 表示论 李代数 箭图 范畴 函子 同伦
纤维丛 联络 里奇流 黎曼 辛几何 凯勒 环面 热带几何 椭圆曲线 模形式 素数
不等式 索伯列夫 偏微分方程 适定性 正则性 爆破 弱解 哈密顿量 可积系统
随机矩阵 算子代数 量子群 组合 图着色
""".split(),
    "physics": """
光子学 波导 超表面 激光 谐振腔 等离激元 非线性光学 频率梳 干涉仪 偏振
光纤 折射率 超材料 量子光学 纠缠 压缩态 量子比特 退相干 超导 拓扑绝缘体
能带结构 声子 磁振子 自旋电子学 相变 临界指数 伊辛模型 自旋玻璃 湍流
流体 等离子体 托卡马克 半导体 石墨烯 摩尔超晶格 激子
""".split(),
    "bio": """
神经元 脉冲 突触 皮层 海马体 可塑性 连接组 脑电 电生理 钙成像 位置细胞
决策 工作记忆 多巴胺 运动控制 感知 视觉皮层 蛋白质折叠 基因表达 基因组
单细胞 转录组 流行病学 感染 疫苗 药物发现 分子 结合亲和力 分子对接 酶
通路
""".split(),
    "astro": """
星系 星系团 红移 宇宙微波背景 暗能量 哈勃张力 重子声学振荡 弱引力透镜
超新星 类星体 活动星系核 吸积盘 系外行星 恒星形成 中子星 脉冲星
伽马射线暴 快速射电暴 巡天 测光 光谱 大尺度结构 暗晕 功率谱 再电离
""".split(),
    "signal": """
波束成形 多输入多输出 正交频分复用 信道估计 毫米波 太赫兹 雷达 到达角
压缩感知 稀疏恢复 小波 傅里叶 时频谱 卡尔曼滤波 粒子滤波 调制 编码 均衡
同步 干扰 频谱感知 智能反射面 通感一体化
""".split(),
    "stats": """
估计量 渐近正态性 置信区间 假设检验 错误发现率 自助法 置换检验 非参数
半参数 马尔可夫链蒙特卡洛 吉布斯采样 经验贝叶斯 收缩估计 高维 套索回归
协方差 精度矩阵 因子模型 混合效应 生存分析 删失 纵向数据 缺失数据
倾向得分 工具变量 可识别性 极小极大 最优传输 瓦瑟斯坦距离
""".split(),
}

CHINESE_GLUE = """
的 的 的 和 和 在 在 通过 基于 提出 实现 显著 有效 进一步 同时 从而 以及 针对 利用
结合 引入 构建 设计 采用 提升 降低 解决 证明 表明 揭示 提供 支持 缓解 克服
""".split()

ZH_AI_OPENERS = {
    "tldr": ["提出", "本文提出", "该研究提出", "研究了", "开发了", "本文研究"],
    "motivation": ["现有", "当前", "传统", "由于", "为了解决", "在"],
    "method": ["提出", "采用", "设计", "构建", "引入", "基于", "结合"],
    "result": ["在", "实验表明", "结果显示", "相比基线", "该方法在", "理论分析表明"],
    "conclusion": ["该方法", "研究表明", "本文", "所提框架", "该工作", "结果证明"],
}

FIRST_NAMES = """
Wei Jing Li Ming Yu Hao Xin Yang Chen Lei Jun Fang Hui Qiang Yan Zhi Xiao Rui
Yoontae Dongwoo Minseok Ji-ho Seung Hyun Takeshi Yuki Haruto Aiko Kenji
Alejandro Leo Rodrigo Clinton Olivier Fabio Enrico Elli Torben Timo Ivo Marc
Avinandan Kartik Priya Arjun Rahul Ananya Vikram Sneha Rohan Deepak
Zhong-Bo Robert Meijian Jani Rebecca Tilman Björn Benedikt Sophia Andrea
Maria José Lucía Pablo Javier Ibáñez Sofía Mateo Camila Diego Valentina
Anna Elena Ivan Dmitri Olga Sergei Natalia Pavel Katarzyna Piotr Tomasz
John Michael David James Sarah Emily Daniel Laura Thomas Christopher Jessica
Matthew Ashley Andrew Emma Joshua Olivia Ryan Hannah Nicholas Grace Samuel
François Hélène Zoë Søren Åsa Jürgen Müller Ömer Çağrı Nguyễn Trần Thị
Ahmed Fatima Omar Layla Yusuf Amir Leila Hassan Kwame Amara Chidi Ngozi
""".split()

LAST_NAMES = """
Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo
Gao Zheng Liang Xie Tang Han Cao Deng Feng Zeng Peng Hwang Lee Choi Kim Park
Ihn Tanaka Suzuki Sato Watanabe Ito Yamamoto Nakamura Ascarate Lebrat Cruz
Fookes Salvado Mantegazza Marchetto Pomoni Skrzypek Weigand Sachs Schneider
Mondal Prabhu Sharma Gupta Singh Kumar Patel Iyer Reddy Rao Kang Kao Penttala
Kuntz Plehn Schäfer Schosser Vent Giarnetti Penedo Rossi Bianchi Romano
García Martínez López González Rodríguez Fernández Pérez Sánchez Ramírez
Ivanov Petrov Smirnov Kuznetsov Popov Kowalski Nowak Wiśniewski Smith
Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore
Martin Jackson White Harris Clark Lewis Walker Hall Allen Young King Wright
Dubois Lefebvre Moreau Laurent Fischer Weber Meyer Wagner Becker Hoffmann
Nielsen Jensen Hansen Larsen Andersson Johansson Yilmaz Demir Nguyen Tran
Pham Le Okafor Mensah Abdullah Haddad Khan Rahman Hussain Cohen Levi Katz
""".split()

VENUES = """
NeurIPS ICML ICLR CVPR ICCV ECCV ACL EMNLP NAACL AAAI IJCAI KDD WWW SIGIR
SIGGRAPH MICCAI ICRA IROS INTERSPEECH ICASSP SC OSDI SOSP EuroSys VLDB SIGMOD
PRL PRD JHEP JCAP CQG CMP
""".split()
