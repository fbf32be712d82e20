# Copyright {{ cookiecutter.year }} The HuggingFace Inc. team. All rights reserved.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
"""{{ cookiecutter.title }}: importing this package registers the model with Transformers' auto classes."""

from transformers import (
    AutoConfig,
    AutoTokenizer,
{%- for auto_class in cookiecutter.spec.auto_classes %}
    {{ auto_class }},
{%- endfor %}
    {{ cookiecutter.spec.tokenizer_class }},
)

from .configuration_{{ cookiecutter.module }} import {{ cookiecutter.spec.config_class }}
from .modeling_{{ cookiecutter.module }} import (
{%- for cls in cookiecutter.spec.model_classes %}
    {{ cls }},
{%- endfor %}
)

AutoConfig.register("{{ cookiecutter.model_type }}", {{ cookiecutter.spec.config_class }})
AutoTokenizer.register({{ cookiecutter.spec.config_class }}, fast_tokenizer_class={{ cookiecutter.spec.tokenizer_class }})
{%- for auto_class, cls in cookiecutter.spec.registrations %}
{{ auto_class }}.register({{ cookiecutter.spec.config_class }}, {{ cls }})
{%- endfor %}

# `save_pretrained` then writes `auto_map` and copies this code next to the weights, so a checkpoint
# loads with `trust_remote_code=True` where this package is not installed.
{{ cookiecutter.spec.config_class }}.register_for_auto_class()
{%- for auto_class, cls in cookiecutter.spec.for_auto %}
{{ cls }}.register_for_auto_class("{{ auto_class }}")
{%- endfor %}

__all__ = [
    "{{ cookiecutter.spec.config_class }}",
{%- for cls in cookiecutter.spec.model_classes %}
    "{{ cls }}",
{%- endfor %}
]
